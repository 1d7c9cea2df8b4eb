"""The free-space monitor of a running session: a warning (console + session.json) once the space left is
below what the rest of the protocol needs, a stop (DiskFull) below the floor or when a camera's writer
reports ENOSPC. Free space is stubbed; the protocol is the demo's."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from elicitation.folder import SessionState
from elicitation.protocol import load_protocol
from elicitation.session import disk
from hardware.video import DiskFull
from tests.conftest import REPO


class StubRecorder:
    disk_full = ""

    def poll(self) -> None:
        pass


def _monitor(tmp_path, monkeypatch, free: list[int], done: tuple[str, ...] = ()):
    protocol = load_protocol(REPO / "protocols" / "demo.yaml")
    episodes = {e.label: {"status": "done" if e.label in done else "pending"} for e in protocol.episodes}
    state = SessionState.new(tmp_path, episodes=episodes)
    monkeypatch.setattr(disk, "free_bytes", lambda folder: free[0])
    out = io.StringIO()
    monitor = disk.DiskMonitor(tmp_path, protocol, state, StubRecorder(), Console(file=out, width=300),
                               bytes_per_s=1e6, durations={e.clip.id: 6.0 for e in protocol.episodes})  # fmt: skip
    return monitor, state, out


def test_low_space_is_warned_once_before_it_runs_out(tmp_path, monkeypatch):
    free = [10**10]
    monitor, state, out = _monitor(tmp_path, monkeypatch, free)
    need = monitor.need_bytes()  # 3 episodes x (6 s + 20 s) + 60 s at 1 MB/s x 1.5
    assert need == pytest.approx((3 * 26 + 60) * 1e6 * 1.5)
    monitor.check(0.0)
    assert not state.data["warnings"]
    free[0] = int(need) - 1
    monitor.check(1.0)
    monitor.check(2.0)
    warnings = [w["message"] for w in state.data["warnings"]]
    assert len(warnings) == 1 and "disk space low" in warnings[0] and f"{tmp_path}" in warnings[0]
    assert "disk space low" in out.getvalue()


def test_episodes_done_need_no_space(tmp_path, monkeypatch):
    monitor, _, _ = _monitor(tmp_path, monkeypatch, [10**10], done=("01", "02"))
    assert monitor.need_bytes() == pytest.approx((26 + 60) * 1e6 * 1.5)


def test_below_the_floor_or_on_a_writer_enospc_the_session_stops(tmp_path, monkeypatch):
    free = [disk.STOP_FREE_BYTES - 1]
    monitor, _, _ = _monitor(tmp_path, monkeypatch, free)
    with pytest.raises(DiskFull, match=f"disk full: {tmp_path} has"):
        monitor.check(0.0)
    free[0] = 10**10
    monitor.recorder.disk_full = "disk full: ... (gras_ep01.mkv: encoder failed)"
    with pytest.raises(DiskFull, match="a camera's writer ran out of space"):
        monitor.check(1.0)


def test_the_resume_preflight_asks_for_what_the_monitor_says_is_needed(tmp_path, monkeypatch):
    """One estimate: after a disk-full stop the preflight of --resume needs what the monitor warned of."""
    from elicitation.session import preflight as pf

    monitor, state, _ = _monitor(tmp_path, monkeypatch, [10**10], done=("01",))
    left = [e for e in monitor.protocol.episodes if state.episode(e.label)["status"] != "done"]
    clips = [type("Clip", (), {"clip": e.clip.id, "duration_s": 6.0})() for e in left]
    need = monitor.need_bytes()
    assert need == pytest.approx((2 * 26 + 60) * 1e6 * 1.5)  # 2 episodes x (6 s + 20 s) + 60 s, x 1.5
    free = need + 2**20
    monkeypatch.setattr(pf.shutil, "disk_usage", lambda path: type("U", (), {"free": free})())
    assert pf.check_disk(tmp_path, monitor.protocol, left, clips, 1e6).ok
    free = need - 2**20
    check = pf.check_disk(tmp_path, monitor.protocol, left, clips, 1e6)
    assert not check.ok and f"about {need / pf.MIB:.0f} MiB needed" in check.detail
