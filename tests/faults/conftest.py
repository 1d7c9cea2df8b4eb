"""The fault tests run sessions of the short protocol (tests/short_protocol.py) and a few of
protocols/demo.yaml: their generated clips must exist."""

from __future__ import annotations

import pytest

from tests.short_protocol import short_protocol


@pytest.fixture(scope="session", autouse=True)
def demo_clips() -> None:
    from stimuli import demo

    if demo.missing():
        demo.generate()
    short_protocol()
