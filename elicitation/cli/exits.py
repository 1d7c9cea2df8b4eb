"""One table from error class to exit code, and the decorator every `elicit` command wears.

``@exits`` turns an error into one line on stderr (``<label>: <message>``, no traceback) and the
exit code of the first row of EXIT_CODES the error is an instance of; rows go from specific to general.
An error nobody foresaw prints its traceback and exits 3 (a failure while running), never 1.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.markup import escape

from elicitation.cli.console import err
from elicitation.errors import CheckFailed, ElicitationError, ExitCode
from elicitation.folder import BadInput
from elicitation.review import ReviewError
from elicitation.session import PreflightFailed, SessionAborted
from hardware.analysis import FlashInputError, FlashSyncError
from hardware.cameras import CameraError
from hardware.errors import HardwareError
from hardware.strict_yaml import ConfigError
from hardware.video import VideoFileError
from stimuli.errors import StimulusError

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

# (error class, exit code, label printed before the message), most specific first
EXIT_CODES: tuple[tuple[type[BaseException], ExitCode, str], ...] = (
    (KeyboardInterrupt, ExitCode.INTERRUPTED, "interrupted"),
    (PreflightFailed, ExitCode.CHECK_FAILED, "preflight failed"),
    (CheckFailed, ExitCode.CHECK_FAILED, "check failed"),
    (SessionAborted, ExitCode.CHECK_FAILED, "session aborted"),
    (BadInput, ExitCode.BAD_INPUT, "error"),
    (ReviewError, ExitCode.BAD_INPUT, "error"),
    (ConfigError, ExitCode.BAD_INPUT, "error"),
    (FlashInputError, ExitCode.BAD_INPUT, "error"),
    (FlashSyncError, ExitCode.BAD_INPUT, "error"),
    (VideoFileError, ExitCode.BAD_INPUT, "error"),
    (CameraError, ExitCode.FAILED, "camera failed"),
    (HardwareError, ExitCode.FAILED, "failed"),
    (ElicitationError, ExitCode.FAILED, "failed"),
    (StimulusError, ExitCode.FAILED, "failed"),
)


def classify(exc: BaseException) -> tuple[ExitCode, str] | None:
    """The exit code and label of an error, or None if the table does not know it."""
    for kind, code, label in EXIT_CODES:
        if isinstance(exc, kind):
            return code, label
    return None


def report(exc: BaseException) -> ExitCode:
    """Print the one message for `exc` on stderr and return its exit code."""
    known = classify(exc)
    if known is None:
        log.error("unexpected error", exc_info=exc)
        err.print(escape("".join(traceback.format_exception(exc)).rstrip()), highlight=False)
        err.print(f"[bold red]failed:[/] {escape(f'{exc.__class__.__name__}: {exc}')}", highlight=False)
        return ExitCode.FAILED
    code, label = known
    message = str(exc) or ("Ctrl-C" if isinstance(exc, KeyboardInterrupt) else exc.__class__.__name__)
    err.print(f"[bold red]{label}:[/] {escape(message)}", highlight=False)
    return code


def exits(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a typer command: its errors become a message and an exit code (see EXIT_CODES)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):  # typer's own exits and usage errors
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every error leaves through the table
            raise typer.Exit(report(exc)) from None

    return run


__all__ = ["EXIT_CODES", "ExitCode", "classify", "exits", "report"]
