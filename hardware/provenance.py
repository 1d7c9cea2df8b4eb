"""What produced a recording: software versions and the machine, for recording.json/session.json."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata

from hardware import clock
from hardware.video import ffmpeg_exe

_PACKAGES = ("casme-elicitation", "numpy", "opencv-python", "imageio-ffmpeg", "psychopy", "psychtoolbox",
             "harvesters", "genicam")


def software_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "platform": platform.platform()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    try:
        first = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True, check=False).stdout
        versions["ffmpeg"] = first.split("\n", 1)[0].replace("ffmpeg version ", "").split(" ")[0]
    except OSError:
        versions["ffmpeg"] = "missing"
    versions["clock"] = clock.CLOCK_NAME
    return versions
