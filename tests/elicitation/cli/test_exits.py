"""The error tree and the one exit-code table: every error class of a package descends from its
root and says when it is raised; the table gives each kind of failure its documented code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import elicitation
import hardware
import stimuli
from elicitation.cli import exits
from elicitation.errors import CheckFailed, ElicitationError, ExitCode
from elicitation.folder import BadInput
from elicitation.review import ReviewError
from elicitation.session import PreflightFailed, SessionAborted
from elicitation.sync import SyncTestError
from hardware.analysis import FlashInputError, FlashSyncError
from hardware.cameras import CameraConfigError, CameraDisconnected, CameraError
from hardware.clock import ClockMismatch
from hardware.errors import HardwareError
from hardware.recording import CamerasNotStarted, RecorderError
from hardware.strict_yaml import ConfigError
from hardware.video import VideoFileError, WriterError
from stimuli.errors import ClipGenerationError, StimulusError

SKIP = ("elicitation.__main__",)  # runs the CLI when imported


def _error_classes(package) -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if info.name.startswith(SKIP):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                found.append(cls)
    return found


@pytest.mark.parametrize(("package", "root"), [(hardware, HardwareError), (elicitation, ElicitationError),
                                               (stimuli, StimulusError)])  # fmt: skip
def test_every_error_class_descends_from_its_package_root_and_says_when_it_is_raised(package, root):
    classes = _error_classes(package)
    assert root in classes and len(classes) >= 2  # the walk found the package's errors
    for cls in classes:
        assert issubclass(cls, root), f"{cls.__module__}.{cls.__name__} is not a {root.__name__}"
        assert not issubclass(cls, (ValueError, RuntimeError)), cls
        assert (cls.__doc__ or "").startswith("Raised when"), f"{cls.__name__}: {cls.__doc__!r}"


@pytest.mark.parametrize(("error", "code"), [
    (KeyboardInterrupt(), 130),
    (PreflightFailed([]), 1), (CheckFailed("x"), 1), (SessionAborted("x"), 1),
    (BadInput("x"), 2), (ConfigError("x"), 2), (FlashInputError("x"), 2), (FlashSyncError("x"), 2),
    (VideoFileError("x"), 2), (ReviewError("x"), 2),
    (CamerasNotStarted("x"), 3), (CameraDisconnected("x"), 3), (CameraConfigError("x"), 3), (WriterError("x"), 3),
    (RecorderError("x"), 3), (ClockMismatch("x"), 3), (SyncTestError("x"), 3), (ClipGenerationError("x"), 3),
])  # fmt: skip
def test_each_kind_of_failure_gets_its_exit_code(error, code, capsys):
    assert exits.report(error) == code
    assert "Traceback" not in capsys.readouterr().err


def test_a_camera_error_is_labelled_and_its_message_kept_verbatim(capsys):
    assert exits.report(CameraError("camera 'gras' [usb 2-1] vanished")) == ExitCode.FAILED
    assert capsys.readouterr().err.strip() == "camera failed: camera 'gras' [usb 2-1] vanished"


def test_an_unforeseen_error_prints_its_traceback_and_exits_3(capsys):
    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    wrapped = exits.exits(broken)
    with pytest.raises(Exception) as info:
        wrapped()
    assert getattr(info.value, "exit_code", None) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: division by zero" in err
