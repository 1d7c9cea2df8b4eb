"""Dataset selection, statistics (Tables I-IV) and published label sheets."""

from __future__ import annotations

__all__: list[str] = []
