"""The fault tests run sessions of protocols/demo.yaml: its generated clips must exist."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def demo_clips() -> None:
    from stimuli import demo

    if demo.missing():
        demo.generate()
