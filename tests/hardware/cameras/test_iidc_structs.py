"""The ctypes binding of libdc1394 matches the C headers: struct sizes, field offsets and enum values.

A small C program is generated from the Python definitions, compiled with gcc against libdc1394-dev
(/usr/include/dc1394) and run; every number it prints must equal what ctypes computes. A field name
that does not exist in the header makes the compile fail, so the names are checked as well.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

from hardware.cameras.iidc import _libdc1394 as dc
from hardware.cameras.iidc import frameinfo as info

HEADER = Path("/usr/include/dc1394/dc1394.h")
ENUM_TYPES = (
    "dc1394error_t", "dc1394bool_t", "dc1394switch_t", "dc1394video_mode_t", "dc1394color_coding_t",
    "dc1394color_filter_t", "dc1394speed_t", "dc1394framerate_t", "dc1394operation_mode_t", "dc1394feature_t",
    "dc1394feature_mode_t", "dc1394capture_policy_t",
)  # fmt: skip
FRAMERATE_NAMES = {1.875: "1_875", 3.75: "3_75", 7.5: "7_5"}

pytestmark = pytest.mark.skipif(
    shutil.which("gcc") is None or not HEADER.exists(),
    reason="needs gcc and libdc1394-dev (sudo apt-get install gcc libdc1394-dev; CI installs both)",
)


def python_facts() -> dict[str, int]:
    """Every number the C program will print, as the Python binding sees it, keyed by C expression."""
    facts: dict[str, int] = {}
    for struct in dc.STRUCTS:
        facts[f"sizeof({struct.__name__})"] = ctypes.sizeof(struct)
        for name, *_ in struct._fields_:
            facts[f"offsetof({struct.__name__}, {name})"] = getattr(struct, name).offset
    for enum in ENUM_TYPES:
        facts[f"sizeof({enum})"] = ctypes.sizeof(ctypes.c_int)
    for name in dir(dc):
        if name.startswith("DC1394_") and isinstance(getattr(dc, name), int):
            facts[name] = getattr(dc, name)
    facts |= {f"DC1394_VIDEO_MODE_{name}": value for name, value in dc.VIDEO_MODES.items()}
    facts |= {f"DC1394_ISO_SPEED_{mbps}": value for mbps, value in dc.ISO_SPEEDS.items()}
    for fps, value in dc.FRAMERATES.items():
        facts[f"DC1394_FRAMERATE_{FRAMERATE_NAMES.get(fps, f'{fps:g}')}"] = value
    for value, fmt in dc.COLOR_FILTERS.items():
        facts[f"DC1394_COLOR_FILTER_{fmt.removeprefix('bayer_').removesuffix('8').upper()}"] = value
    return facts


@pytest.fixture(scope="module")
def c_facts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    facts = python_facts()
    lines = [f'    printf("%s=%lld\\n", "{expr}", (long long)({expr}));' for expr in facts]
    source = "#include <stdio.h>\n#include <stddef.h>\n#include <dc1394/dc1394.h>\nint main(void) {\n"
    source += "\n".join(lines) + "\n    return 0;\n}\n"
    work = tmp_path_factory.mktemp("dc1394")
    (work / "layout.c").write_text(source)
    build = subprocess.run(
        ["gcc", "-Wall", "-Werror", "-o", str(work / "layout"), str(work / "layout.c")],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    out = subprocess.run([str(work / "layout")], capture_output=True, text=True, check=True).stdout
    return {key: int(value) for key, value in (line.split("=", 1) for line in out.splitlines())}


def test_every_struct_size_and_field_offset_matches_the_header(c_facts):
    python = python_facts()
    layout = {k: v for k, v in python.items() if k.startswith(("sizeof(", "offsetof("))}
    assert {k: c_facts[k] for k in layout} == layout
    # the structs the backend reads per frame really are covered
    assert "offsetof(dc1394video_frame_t, frames_behind)" in layout
    assert "sizeof(dc1394camera_t)" in layout


def test_every_enum_value_and_flag_matches_the_header(c_facts):
    python = python_facts()
    constants = {k: v for k, v in python.items() if k.startswith("DC1394_")}
    assert {k: c_facts[k] for k in constants} == constants
    assert len(constants) > 50  # all video modes, speeds, rates, filters, policies, errors used


def test_the_frame_struct_is_the_one_the_library_fills():
    # spot-check facts the backend relies on, independently of the generated program
    frame = dc.dc1394video_frame_t
    assert frame.timestamp.size == 8 and frame.frames_behind.size == 4
    assert dc.FRAMERATES[60.0] == 37 and dc.ISO_SPEEDS[800] == 3
    assert info.quadlet_offset(info.FRAME_INFO_TIMESTAMP | info.FRAME_INFO_COUNTER, info.FRAME_INFO_COUNTER) == 4
    assert info.quadlet_offset(0x1FF, info.FRAME_INFO_COUNTER) == 24  # data[24] with every field on (FLIR KB)
