"""The command line's two consoles: results on stdout, messages on stderr.

On a terminal rich wraps to the terminal's width. Piped to a file or a CI log it would assume 80
columns and fold a table's cells one word per line; there a table is printed as wide as its content
(up to PIPE_WIDTH) and every line stays grep-able. $COLUMNS is not asked there: test runners and CI
shells export COLUMNS=80 for a terminal the output never reaches.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console

PIPE_WIDTH = 1000  # columns when the stream is not a terminal: tables never fold a cell


def make_console(stream: TextIO | None = None, stderr: bool = False) -> Console:
    """A console on `stream` (default stdout, or stderr), as wide as its content when not a terminal."""
    target = stream or (sys.stderr if stderr else sys.stdout)
    piped = not _isatty(target)
    return Console(stderr=stderr, file=stream, width=PIPE_WIDTH if piped else None, soft_wrap=piped)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream: treat as a file
        return False


out = make_console()
err = make_console(stderr=True)

__all__ = ["PIPE_WIDTH", "err", "make_console", "out"]
