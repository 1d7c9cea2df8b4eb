"""Finding GenTL producers (.cti files) for the GenICam backend.

A GenTL producer is the vendor's transport layer as a shared library with a .cti suffix. The rig's
``cti:`` names one: a path, or a short name for a producer shipped in a Python package:

- ``viky``: the virtual cameras of the ``genicam`` wheel (Machine Vision Games' Viky: three cameras,
  serial numbers 0, 1, 2), used by the tests and the viky rigs;
- ``flir``: FLIR's ``FLIR_GenTL.cti`` that the ``rotpy`` wheel bundles with the Spinnaker runtime
  (USB3 Vision and GigE Vision FLIR cameras).

Without ``cti:`` every producer in the directories of GENICAM_GENTL64_PATH (the GenTL standard's
variable, set by vendor SDK installers) is used.
"""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

from hardware.cameras.base import BackendUnavailable, CameraConfigError

ENV_PATH = "GENICAM_GENTL64_PATH"
# short name -> (package that ships it, file name, what to install)
SHIPPED = {
    "viky": ("genicam", "viky.cti", 'pip install "casme-elicitation[genicam]"'),
    "flir": ("rotpy", "FLIR_GenTL.cti", 'pip install "casme-elicitation[flir-gentl]" (Python 3.11)'),
}


def shipped_producer(short: str) -> Path:
    """The .cti a Python distribution installed (genicam: inside its package; rotpy: in rotpy.libs/)."""
    package, filename, install = SHIPPED[short]
    try:
        files = importlib.metadata.files(package) or []
    except importlib.metadata.PackageNotFoundError:
        raise BackendUnavailable(f"GenTL producer '{short}' comes with the {package} package: {install}") from None
    for entry in sorted(files, key=lambda f: len(f.parts)):
        if entry.name == filename:
            path = Path(str(entry.locate())).resolve()
            if path.is_file():
                return path
    raise BackendUnavailable(f"the installed {package} package has no {filename}; reinstall it: {install}")


def producers_on_path() -> list[Path]:
    """Every .cti in the directories GENICAM_GENTL64_PATH lists (empty when it is unset)."""
    found: list[Path] = []
    for folder in os.environ.get(ENV_PATH, "").split(os.pathsep):
        if folder and Path(folder).is_dir():
            found += sorted(p for p in Path(folder).iterdir() if p.suffix.lower() == ".cti")
    return found


def resolve_producers(cti: str | None, camera: str) -> list[Path]:
    """The producer files a camera's rig entry asks for; refuses with what to do when there are none."""
    if cti in SHIPPED:
        return [shipped_producer(cti)]
    if cti:
        path = Path(os.path.expandvars(cti)).expanduser()
        if not path.is_file():
            raise CameraConfigError(f"camera '{camera}': GenTL producer {path} does not exist")
        return [path]
    found = producers_on_path()
    if not found:
        raise CameraConfigError(
            f"camera '{camera}': no GenTL producer: set cti: in the rig (a .cti path, or {' / '.join(SHIPPED)}) "
            f"or install the camera vendor's SDK, which sets {ENV_PATH}"
        )
    return found


def available_producers() -> list[Path]:
    """Producers `elicit cameras list` looks at: the environment's and the shipped ones that are installed."""
    found = producers_on_path()
    for short in SHIPPED:
        try:
            found.append(shipped_producer(short))
        except BackendUnavailable:
            pass
    return found
