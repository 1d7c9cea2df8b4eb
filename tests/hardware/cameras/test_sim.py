"""The simulated camera: barcodes, pacing on the clock, and the faults a rig can inject."""

from __future__ import annotations

import numpy as np
import pytest

from hardware import clock
from hardware.cameras import CameraConfigError, CameraDisconnected, CameraError, CameraSettings, create_camera
from hardware.cameras.sim import barcode


def open_sim(**options) -> object:
    fmt = options.pop("pixel_format", "mono8")
    settings = CameraSettings("cam", "sim", 400, 64, fmt, options.pop("fps", 60.0), options)
    cam = create_camera(settings)
    cam.open()
    cam.configure(settings)
    cam.start()
    return cam


@pytest.mark.parametrize("shape", [(64, 400), (720, 1280, 3)])
def test_barcode_round_trip(shape):
    img = np.full(shape, 128, np.uint8)
    for frame_id in (0, 1, 2, 255, 256, 123_456, (1 << 24) - 1):
        barcode.write(img, frame_id)
        assert barcode.read(img) == frame_id
    # the layout the issue fixes: bit i is the 16x16 block at columns 16i..16i+15, 255/0 on every channel
    barcode.write(img, 0b101)
    assert (img[:16, 0:16] == 255).all() and (img[:16, 16:32] == 0).all() and (img[:16, 32:48] == 255).all()
    with pytest.raises(CameraError):
        barcode.write(img, 1 << 24)


def test_frames_carry_their_id_and_content_changes():
    cam = open_sim()
    frames = [cam.read() for _ in range(6)]
    assert [f.frame_id for f in frames] == list(range(6))
    assert [barcode.read(f.pixels) for f in frames] == list(range(6))
    assert not np.array_equal(frames[1].pixels[16:], frames[2].pixels[16:])  # not a static picture
    times = np.array([f.host_time for f in frames])
    assert np.all(np.diff(times) > 0.010)  # paced near 1/60 s, not as fast as possible


def test_dropped_ids_are_never_delivered():
    cam = open_sim(drop_frames=[2, 3])
    assert [cam.read().frame_id for _ in range(4)] == [0, 1, 4, 5]


def test_drift_makes_the_camera_clock_run_fast():
    cam = open_sim(fps=240.0, drift_ppm=50_000.0, paced=True)  # 5 % so a short test resolves it
    frames = [cam.read() for _ in range(120)]
    host = np.array([f.host_time for f in frames])
    cam_t = np.array([f.camera_time for f in frames])
    slope = np.polyfit(host - host[0], cam_t - cam_t[0], 1)[0]
    assert slope == pytest.approx(1.05, abs=0.01)


def test_jitter_delays_delivery_within_the_bound():
    cam = open_sim(jitter_ms=8.0, fps=120.0)
    start = clock.now()
    frames = [cam.read() for _ in range(60)]
    lateness = np.array([f.host_time - (start + f.frame_id / 120.0) for f in frames])
    assert lateness.max() > 0.003  # jitter is really there
    assert lateness.min() > -0.002 and lateness.max() < 0.008 + 0.005


def test_disconnect_raises_after_the_set_time():
    cam = open_sim(disconnect_after_s=0.2)
    start = clock.now()
    with pytest.raises(CameraDisconnected, match="disconnected"):
        while True:
            cam.read()
    assert clock.now() - start == pytest.approx(0.2, abs=0.05)


def test_refuses_a_format_it_cannot_make():
    settings = CameraSettings("cam", "sim", 400, 64, "yuyv", 60.0)
    cam = create_camera(settings)
    cam.open()
    with pytest.raises(CameraConfigError, match="yuyv"):
        cam.configure(settings)


def test_a_reader_that_falls_behind_loses_the_oldest_frames_like_a_real_camera():
    cam = open_sim(buffer_frames=4)
    assert cam.read().frame_id == 0
    import time

    time.sleep(0.2)  # 12 frame periods without reading
    late = cam.read().frame_id
    assert 9 <= late <= 11  # only the newest 4 frames were still in the camera's buffer


def test_a_camera_that_sees_the_screen_is_lit_by_it_on_every_frame(monkeypatch):
    """The lit views are made once per screen level: every frame must still be exactly the room as that
    level lights it (dark half-grey, flash 235, anything between), with its own id in the barcode."""
    from hardware.cameras.sim.screen_link import ENV, ScreenLink

    link = ScreenLink.create()
    monkeypatch.setenv(ENV, str(link.path))
    try:
        seeing = open_sim(pixel_format="bgr24", screen_latency_ms=0.0, seed=4)
        blind = open_sim(pixel_format="bgr24", paced=False, seed=4)  # the same room, unlit
        frames = []
        for level in (None, 1.0, 0.0, 0.5, 1.0):  # None: nothing published yet (dark)
            if level is not None:
                link.append(clock.now(), level)
            frames += [seeing.read() for _ in range(4)]
        unlit = {f.frame_id: f.pixels for f in (blind.read() for _ in range(frames[-1].frame_id + 1))}
        seen = set()
        for f in frames:
            assert barcode.read(f.pixels) == f.frame_id
            lit = link.state_at(f.host_time)
            seen.add(lit)
            expected = (unlit[f.frame_id].astype(np.uint16) * (1 - lit) // 2 + lit * 235).astype(np.uint8)
            assert np.array_equal(f.pixels[16:], expected[16:]), (f.frame_id, lit)
        assert seen == {0.0, 0.5, 1.0}  # every level really showed up in some frame
    finally:
        link.close()
