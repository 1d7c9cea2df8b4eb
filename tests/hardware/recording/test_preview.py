"""Preview frames in shared memory: small, at most 10 a second, the right frame, and never torn."""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from hardware.cameras import Frame
from hardware.cameras.sim import barcode
from hardware.recording import PreviewReader, Recorder, preview_shape
from hardware.recording.preview import PreviewPublisher, PreviewSlots, viewable
from hardware.rig import load_rig
from tests.conftest import sim_camera, write_rig


def test_preview_shape_is_small_and_mono_stays_mono():
    assert preview_shape(640, 480, "mono8") == (360, 480, 1)
    assert preview_shape(1280, 720, "bgr24") == (270, 480, 3)
    assert preview_shape(1280, 720, "mjpeg") == (270, 480, 3)
    assert preview_shape(400, 64, "mono8") == (64, 400, 1)  # never enlarged


def test_mjpeg_and_bayer_become_pictures():
    bgr = np.zeros((720, 1280, 3), np.uint8)
    bgr[:, :640] = (0, 0, 255)  # red left half
    ok, jpeg = cv2.imencode(".jpg", bgr)
    assert ok
    image = viewable(Frame(None, 1, 0.0, data=jpeg.tobytes()), "mjpeg")
    assert image.shape == (360, 640, 3) and image[100, 100, 2] > 200 and image[100, 100, 0] < 50
    mosaic = np.zeros((8, 8), np.uint8)
    mosaic[0::2, 0::2] = 255  # the R sites of an RGGB sensor
    assert viewable(Frame(mosaic, 1, 0.0), "bayer_rggb8")[3, 3, 2] == 255


def test_recorder_publishes_previews_of_the_frames_it_records(tmp_path):
    rig = write_rig(
        tmp_path / "rig.yaml",
        {
            "mono": sim_camera(640, 480, face={"image": "astronaut"}),
            "colour": sim_camera(1280, 720, "bgr24", seed=2),
        },
    )
    with Recorder(load_rig(rig), tmp_path / "rec") as rec:
        readers = {name: PreviewReader(shm) for name, shm in rec.preview_names.items()}
        time.sleep(0.5)
        first = {name: r.latest() for name, r in readers.items()}
        time.sleep(1.5)
        later = {name: r.latest() for name, r in readers.items()}
    for name, (height, width) in {"mono": (480, 640), "colour": (720, 1280)}.items():
        a, b = first[name], later[name]
        assert a is not None and b is not None
        assert b.seq > a.seq and b.camera_frame_id > a.camera_frame_id
        assert b.seq - a.seq <= 17  # at most 10 a second over 1.5 s (and the timing slack of a busy box)
        assert b.image.shape == ((360, 480) if name == "mono" else (270, 480, 3))
        # the picture is that frame: its barcode, scaled back to the camera's size, decodes to its id
        full = cv2.resize(b.image, (width, height), interpolation=cv2.INTER_LINEAR)
        assert barcode.read(full) == b.camera_frame_id
    for r in readers.values():
        r.close()
    assert rec.preview_names == {}  # the slots are gone with the recording


def test_recorder_without_previews_makes_no_slots(tmp_path):
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 64)})
    with Recorder(load_rig(rig), tmp_path / "rec", previews=False) as rec:
        assert rec.preview_names == {}


def _hammer(name: str, frames: int) -> None:
    publisher = PreviewPublisher(name, "bgr24")
    shape = (270, 480, 3)
    for i in range(1, frames + 1):
        publisher.write(Frame(np.full(shape, i % 256, np.uint8), i, float(i)))
    publisher.close()


@pytest.mark.slow
def test_a_reader_never_gets_a_torn_frame():
    """A writer in another process publishes as fast as it can; every frame read is whole and consistent."""
    from hardware.cameras import CameraSettings

    slots = PreviewSlots()
    name = slots.create("cam", CameraSettings("cam", "sim", 1280, 720, "bgr24", 60.0))
    reader = PreviewReader(name)
    writer = mp.get_context("spawn").Process(target=_hammer, args=(name, 20000))
    writer.start()
    seen = 0
    try:
        while writer.is_alive() or seen == 0:
            frame = reader.latest()
            if frame is None:
                continue
            values = np.unique(frame.image[::7, ::7])
            assert values.tolist() == [frame.camera_frame_id % 256], "a torn or mismatched frame"
            assert frame.host_time == float(frame.camera_frame_id)
            seen += 1
    finally:
        writer.join(timeout=30)
        reader.close()
        slots.close()
    assert seen > 100
    assert reader.torn_reads > 0, "the writer never overlapped a read: the test proved nothing"


@pytest.mark.slow
def test_framing_watch_checks_the_previews_in_its_own_process(tmp_path):
    """The watched camera on every preview, the other every every_s; face_away gaps show as no face."""
    import threading

    from hardware.recording import FramingWatch

    away = [[t, t + 1.0] for t in range(3, 60, 5)]  # 3-4 s, 8-9 s, ...: one is seen however late the watch starts
    rig = write_rig(
        tmp_path / "rig.yaml",
        {
            "front": sim_camera(640, 480, face={"image": "astronaut", "face_away": away}),
            "side": sim_camera(640, 480, face={"image": "astronaut"}),
        },
    )
    results: list[tuple] = []
    lock = threading.Lock()

    def take(camera, host_time, frame_id, framing):
        with lock:
            results.append((camera, frame_id, framing))

    def inside(frame_id: int, margin: float) -> bool:
        t = frame_id / 60
        return any(a + margin <= t < b - margin for a, b in away)

    with Recorder(load_rig(rig), tmp_path / "rec") as rec:
        watch = FramingWatch(rec.preview_names, "front", take, every_s=1.0)
        watch.start()
        deadline = time.monotonic() + 60  # the watch process starts (and loads its detector) on a busy box
        while time.monotonic() < deadline:
            with lock:
                ids = [fid for cam, fid, _ in results if cam == "front"]
            if any(inside(i, 0.2) for i in ids) and len(ids) > 40 and not inside(ids[-1], -0.2):
                break
            time.sleep(0.2)
        watch.set_reference("side", 1e6)  # an absurd check-in focus: the side camera's focus check now fails
        time.sleep(2.5)
        watch.stop()
        assert not watch.alive
    front = [(fid, f) for cam, fid, f in results if cam == "front"]
    side = [f for cam, _, f in results if cam == "side"]
    span = (front[-1][0] - front[0][0]) / 60
    assert len(side) <= span + 2 and len(front) > 2 * len(side) > 0  # the other camera once a second
    gone = [f["face"] is None for fid, f in front if inside(fid, 0.1)]
    present = [f["face"] is not None for fid, f in front if not inside(fid, -0.1)]
    assert gone and all(gone) and present and all(present)
    assert side[0]["ok"] and not side[-1]["checks"]["focus"]["ok"]


def _threads_by_name(pid: int) -> dict[str, int]:
    """comm name -> nice value of each thread of process `pid` (Linux /proc)."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        name = (task / "comm").read_text().strip()
        out[name] = int((task / "stat").read_text().rsplit(")", 1)[1].split()[16])  # field 19: nice
    return out


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_camera_processes_name_their_threads_and_previews_yield_to_the_read_loop(tmp_path):
    """bench/demo.py attributes CPU by these names; the preview thread runs at a lower priority (nice 10)
    than the read loop and the writer (nice 0), so on 2 cores a preview waits, never a frame."""
    import psutil

    rig = write_rig(tmp_path / "rig.yaml", {"benq": sim_camera(1280, 720, "mjpeg", face={"image": "astronaut"})})
    with Recorder(load_rig(rig), tmp_path / "rec") as rec:
        reader = PreviewReader(rec.preview_names["benq"])
        deadline = time.monotonic() + 20
        while reader.latest() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        camera = [p for p in psutil.Process().children(recursive=True) if p.name() == "cam benq"]
        assert len(camera) == 1
        threads = _threads_by_name(camera[0].pid)
        reader.close()
    base = threads["cam benq"]
    assert threads["write benq"] == base
    assert threads["preview"] == min(19, base + 10)
