"""The root of every error the elicitation package raises.

Each subclass lives next to the code that raises it and starts its docstring with "Raised when":

- ``ElicitationError``
  - ``BadInput`` (elicitation.folder): a participant ID, session number, folder or file given is unusable
  - ``CheckFailed``: a check ran and did not pass (validation, sync test, clip verification)
    - ``PreflightFailed`` (elicitation.session): a preflight check did not pass
  - ``SessionAborted`` (elicitation.session): the experimenter confirmed an abort
  - ``ReviewError`` (elicitation.review): a recording cannot be reviewed
  - ``SyncTestError`` (elicitation.sync): the sync test could not run to its end
  - ``ExportError`` (elicitation.dataset): a frame a dataset export needs cannot be decoded

``ExitCode`` names the exit codes the command line and a session's result use.

Errors of the other packages have their own roots (hardware.errors.HardwareError,
stimuli.errors.StimulusError); elicitation.cli.exits maps all of them to exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of every `elicit` command (elicitation.cli.exits maps error classes to them)."""

    OK = 0  # success
    CHECK_FAILED = 1  # a check ran and did not pass: validation, sync test, preflight, clip verification
    BAD_INPUT = 2  # a file, an argument or an ID is unusable; nothing was created
    FAILED = 3  # a failure while running: a camera or the encoder died
    INTERRUPTED = 130  # Ctrl-C or SIGTERM; everything recorded so far is kept


class ElicitationError(Exception):
    """Raised when anything in the elicitation package fails; the message is meant for the experimenter."""


class CheckFailed(ElicitationError):
    """Raised when a check ran to its end and did not pass (the reasons were printed or are in the message)."""


__all__ = ["CheckFailed", "ElicitationError", "ExitCode"]
