"""The root of every error the hardware package raises.

Each subclass lives next to the code that raises it and starts its docstring with "Raised when":

- ``HardwareError``
  - ``ConfigError`` (hardware.strict_yaml): a rig, protocol or manifest file is wrong
  - ``ClockMismatch`` (hardware.clock): PsychoPy's clock is not the one clock
  - ``CameraError`` (hardware.cameras.base): ``BackendUnavailable``, ``CameraConfigError``,
    ``CameraDisconnected``, ``FrameTimeout``, ``CamerasNotStarted`` (hardware.recording)
  - ``RecorderError`` (hardware.recording): the recorder was used out of order
  - ``WriterError`` (hardware.video): an encoder died or refused a file
  - ``VideoFileError`` (hardware.video): a video or frames.tsv cannot be read
  - ``FlashInputError``, ``FlashSyncError`` (hardware.analysis): camcorder alignment inputs

Callers outside hardware catch ``HardwareError`` (or a subclass); nothing crosses the package
boundary as a bare ValueError or RuntimeError. The command line maps these classes to exit codes.
"""

from __future__ import annotations


class HardwareError(Exception):
    """Raised when anything in the hardware package fails; the message is meant for the experimenter."""


__all__ = ["HardwareError"]
