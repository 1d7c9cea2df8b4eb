"""Face lost during an episode, end to end: an autopilot session on a sim camera whose face turns away.

The rig's review camera shows the sim face with ``face_away: [[20, 21.5]]`` (seconds since that camera
started); the protocol is the demo's with one 25 s clip starting well before 20 s, so the whole absence
falls inside the clip. The truth on the session clock is the camera's start (its first frame's host
time in frames.tsv, less its id over the rate) + 20 s, minus t0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from elicitation.folder import read_tsv
from hardware.video import read_frames_tsv
from stimuli.demo import generate
from stimuli.manifest import load_manifest
from tests.conftest import REPO, run_elicit, sim_camera, write_rig
from tests.xdisplay import display_env

AWAY = (20.0, 21.5)

MANIFEST = """
name: long
directory: clips
clips:
  long1:
    file: long1.mp4
    label: "Long clip"
    main_emotions: [{emotion: amusement}]
    duration_s: [25, 25]
    width: 320
    height: 180
    fps: 30
"""


def session_protocol(tmp_path: Path, framing: str = "") -> Path:
    (tmp_path / "long.yaml").write_text(MANIFEST)
    generate(load_manifest(tmp_path / "long.yaml"))
    text = (REPO / "protocols" / "demo.yaml").read_text()
    text = text.replace("stimuli: ../stimuli/demo.yaml", f"stimuli: {tmp_path / 'long.yaml'}")
    lines = []
    for line in text.splitlines():
        if line.startswith("episodes:"):
            line = "episodes: [long1]"
        elif line.startswith("before:"):
            line = "before: [checkin, sync_flash]"
        elif line.startswith("after_each:"):
            line = "after_each: [rating]"
        elif line.startswith("after:"):
            line = "after: [end]"
        lines.append(line)
    path = tmp_path / "protocol.yaml"
    path.write_text("\n".join(lines) + "\n" + framing)
    return path


def run(tmp_path: Path, protocol: Path, face: dict) -> tuple[object, Path]:
    rig = write_rig(tmp_path / "rig.yaml", {"gras": sim_camera(640, 480, face=face)})
    data = tmp_path / "data"
    result = run_elicit("run", str(protocol), "--participant", "F1", "--rig", str(rig), "--out", str(data),
                        "--autopilot", "--windowed", env=display_env())  # fmt: skip
    return result, data / "sub-F1" / "ses-1"


@pytest.mark.slow
def test_a_face_away_gives_one_face_lost_row_at_its_time(tmp_path):
    protocol = session_protocol(tmp_path)
    result, folder = run(tmp_path, protocol, {"image": "astronaut", "movement_px": 3, "face_away": [list(AWAY)]})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    state = json.loads((folder / "session.json").read_text())
    events = read_tsv(folder / "events.tsv")
    table = read_frames_tsv(folder / "video" / "gras_frames.tsv")
    camera_start = float(table.host_time[0]) - int(table.camera_frame_id[0]) / 60.0
    truth = camera_start + AWAY[0] - state["t0_clock"]
    episode = next(r for r in events if r["trial_type"] == "episode")
    onset, offset = float(episode["onset"]), float(episode["onset"]) + float(episode["duration"])
    assert onset + 1 < truth and truth + AWAY[1] - AWAY[0] + 1 < offset, "the absence must fall inside the clip"
    lost = [r for r in events if r["trial_type"] == "face_lost"]
    assert len(lost) == 1, lost  # and none elsewhere
    assert abs(float(lost[0]["onset"]) - truth) <= 0.2, (lost[0], truth)
    assert abs(float(lost[0]["duration"]) - (AWAY[1] - AWAY[0])) <= 0.2, lost[0]
    assert lost[0]["episode"] == "01"
    assert state["episodes"]["01"]["face_lost"]["count"] == 1 and state["summary"]["face_lost"] == {"01": 1}
    checkin = state["framing"]["checkins"][0]
    assert checkin["ok"] and set(checkin["cameras"]) == {"gras"}
    assert state["framing"]["reference_focus"]["gras"] == checkin["cameras"]["gras"]["focus"] > 0
    report = run_elicit("report", str(folder))
    assert report.returncode == 0, report.stderr
    page = (folder / "report.html").read_text()
    assert "1 face-lost interval(s)" in page and f"{float(lost[0]['onset']):.2f} s" in page


@pytest.mark.slow
def test_required_framing_holds_the_session_and_names_the_check(tmp_path):
    """No face at check-in (the face away for the first minute) with framing.required: exit 1, nothing played."""
    protocol = session_protocol(tmp_path, "framing: {required: true}\n")
    result, folder = run(tmp_path, protocol, {"image": "astronaut", "face_away": [[0, 60]]})
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    output = " ".join((result.stdout + result.stderr).split())
    assert "camera gras: framing check 'face' failed (no face found)" in output
    state = json.loads((folder / "session.json").read_text())
    assert state["status"] == "framing_failed"
    assert state["framing"]["checkins"][0]["ok"] is False
    assert state["episodes"]["01"]["attempts"] == []  # held at check-in: no clip was shown
