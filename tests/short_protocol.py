"""A shorter CASME session for the tests that run whole sessions to break them: protocols/demo.yaml's
screens, texts and steps unchanged, with two generated 3-second clips instead of three 6-second ones.
A fault test needs a second episode to interrupt and one to finish, not the demo's minute."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tests.conftest import REPO

FOLDER = REPO / "tests" / "data" / "short"  # generated, git-ignored (like stimuli/demo/)
CLIP = """  {name}:
    file: {name}.mp4
    label: "Short episode {n}"
    main_emotions: [{emotions}]
    duration_s: [2, 3]
    width: 320
    height: 180
    fps: 30
"""


def _write(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


@cache
def short_protocol() -> Path:
    """The protocol's path; its clips are made on first use."""
    from stimuli import demo
    from stimuli.manifest import load_manifest

    FOLDER.mkdir(parents=True, exist_ok=True)
    clips = [CLIP.format(name="short1", n=1, emotions="{emotion: amusement}"),
             CLIP.format(name="short2", n=2, emotions="{emotion: disgust}")]  # fmt: skip
    _write(FOLDER / "stimuli.yaml", "name: short\ndescription: two 3-s generated clips for the fault tests\n"
           "directory: .\nclips:\n" + "".join(clips))  # fmt: skip
    manifest = load_manifest(FOLDER / "stimuli.yaml")
    if demo.missing(manifest):
        demo.generate(manifest)
    text = (REPO / "protocols" / "demo.yaml").read_text()
    for old, new in (("episodes: [demo1, demo2, demo3]", "episodes: [short1, short2]"),
                     ("stimuli: ../stimuli/demo.yaml", "stimuli: stimuli.yaml")):  # fmt: skip
        assert old in text, old
        text = text.replace(old, new)
    _write(FOLDER / "protocol.yaml", text)
    return FOLDER / "protocol.yaml"
