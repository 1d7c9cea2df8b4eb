"""The IIDC backend against a strict stand-in of libdc1394 (tests/fakes/dc1394.py: no FireWire camera can
exist on CI), plus a smoke test against the real libdc1394.so.25 that is installed."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from hardware.cameras import BackendUnavailable, CameraConfigError, CameraError, CameraSettings, FrameTimeout
from hardware.cameras.iidc import _libdc1394 as iidc_ctypes
from hardware.cameras.iidc import camera as iidc
from hardware.cameras.iidc.frameinfo import preview_bgr
from hardware.rig import load_rig
from tests.conftest import write_rig
from tests.fakes.dc1394 import (
    FEATURE_FRAME_RATE,
    FORMAT7_0,
    FRAME_INFO,
    FRAMERATE_60,
    MANUAL,
    RAW8,
    CameraSpec,
    FakeDC1394,
    Format7Mode,
    MODE_640x480_MONO8,
)

REPO = Path(__file__).resolve().parents[3]
B_MODE, S800 = 481, 3


def settings(pixel_format="bayer_rggb8", width=640, height=480, fps=60.0, **options) -> CameraSettings:
    return CameraSettings("gras", "iidc", width, height, pixel_format, fps, options)


@pytest.fixture
def fake():
    lib = FakeDC1394(CameraSpec())
    yield lib
    assert lib.check_released() == []


def started(fake: FakeDC1394, s: CameraSettings | None = None) -> iidc.IIDCCamera:
    s = s or settings()
    cam = iidc.create(s, loader=lambda: iidc_ctypes.bind(fake))
    cam.open()
    cam.configure(s)
    cam.start()
    return cam


def refusal(fake: FakeDC1394, s: CameraSettings) -> str:
    cam = iidc.create(s, loader=lambda: iidc_ctypes.bind(fake))
    try:
        cam.open()
        with pytest.raises(CameraConfigError) as exc:
            cam.configure(s)
        return str(exc.value)
    finally:
        cam.close()


def test_gras_raw_bayer_is_configured_and_read_back(fake):
    cam = started(fake)
    try:
        c = fake.camera()
        assert (c.op_mode, c.speed, c.mode) == (B_MODE, S800, FORMAT7_0)
        coding, packet, left, top, w, h = c.roi[FORMAT7_0]
        assert (coding, w, h) == (RAW8, 640, 480)
        # 133 packets of 125 µs = 16.6 ms per frame: the smallest 8-byte multiple that fits 60 fps
        assert packet == 2312 and np.ceil(640 * 480 / packet) == 133
        assert c.features[FEATURE_FRAME_RATE] == {"power": 1, "mode": MANUAL, "abs": 1, "value": 60.0}
        assert c.registers[FRAME_INFO] & 0x3FF == 0x41  # cycle time + frame counter embedded
        assert cam._fmt.pixel_format == "bayer_rggb8" and cam._fmt.fps == pytest.approx(60.0)
    finally:
        cam.close()


def test_mono8_uses_the_standard_mode_at_60_fps(fake):
    cam = started(fake, settings("mono8"))
    c = fake.camera()
    cam.close()
    assert (c.mode, c.framerate) == (MODE_640x480_MONO8, FRAMERATE_60)
    assert cam._fmt is not None and cam._fmt.fps == 60.0


@pytest.mark.parametrize(
    ("spec", "s", "expected"),
    [
        (CameraSpec(standard={MODE_640x480_MONO8: [32, 33, 34, 35, 36]}), settings("mono8"), "30 fps at most"),
        (CameraSpec(), settings(width=1280, height=960), "at most 640x480"),
        (CameraSpec(bmode_capable=False), settings(), "not 1394b-capable"),
        (CameraSpec(bmode_capable=False), settings(operation_mode="legacy", iso_speed=200), "53.3 fps only"),
        (CameraSpec(registers={FRAME_INFO: 0x80000000, 0x1040: 0x47425247}), settings(), "bayer_gbrg8"),
        (CameraSpec(format7={FORMAT7_0: Format7Mode(color_filter=515)}), settings(), "bayer_bggr8"),
        (CameraSpec(features={FEATURE_FRAME_RATE: (1.0, 30.0)}), settings(), "30.00 fps instead of 60"),
        (CameraSpec(ignores={"framerate"}), settings("mono8"), "15.00 fps instead of 60"),
        (CameraSpec(format7={}), settings(), "no Format7 mode 0"),
        (CameraSpec(), settings("yuyv"), "not supported"),
        (CameraSpec(), settings(packet_size=2300), "multiple of 8 bytes"),
        (CameraSpec(), settings(packet_size=2048), "53.33 fps instead of 60"),
    ],
)
def test_refuses_what_the_camera_will_not_deliver(spec, s, expected):
    fake = FakeDC1394(spec)
    assert expected in refusal(fake, s)
    assert fake.check_released() == []


def test_frames_carry_counter_camera_time_and_library_time_on_the_one_clock(fake):
    cam = started(fake)
    try:
        assert fake.emit(40) == 16  # a 16-buffer ring: the rest find no free buffer
        frames = [cam.read(0.5) for _ in range(16)]
    finally:
        cam.close()
    assert [f.frame_id for f in frames] == list(range(16))
    assert [int(f.pixels[-1, -1]) for f in frames] == list(range(16))  # pixels copied out of the right buffer
    cam_times = np.array([f.camera_time for f in frames])
    assert np.allclose(np.diff(cam_times), 1 / 60, atol=2e-6)  # cycle time unwrapped across its 128 s wrap
    assert cam_times[0] < 128 < cam_times[-1]
    offset = time.time() - time.monotonic()
    expected = fake.realtime_start + np.arange(16) / 60 - offset
    assert np.allclose([f.host_time for f in frames], expected, atol=0.005)


@pytest.mark.parametrize("embedded", [True, False])
def test_backlog_is_not_a_drop_but_a_full_ring_is(fake, embedded):
    cam = started(fake, settings(dma_buffers=4, embedded_info=embedded))
    try:
        fake.emit(3)
        ids = [cam.read(0.5).frame_id for _ in range(3)]
        assert cam.max_frames_behind == 2 and cam.dropped == 0  # frames waiting in the ring all arrive
        assert fake.emit(10) == 4  # ring of 4: six frames find no buffer and are lost
        ids += [cam.read(0.5).frame_id for _ in range(4)]
        fake.emit(1)
        ids.append(cam.read(0.5).frame_id)
    finally:
        cam.close()
    assert ids == [0, 1, 2, 3, 4, 5, 6, 13]
    assert cam.dropped == 6


def test_incomplete_frames_are_not_delivered_and_count_as_drops(fake):
    cam = started(fake)
    try:
        fake.emit(4, corrupt=(2,))
        ids = [cam.read(0.5).frame_id for _ in range(3)]
    finally:
        cam.close()
    assert ids == [0, 1, 3]
    assert (cam.corrupt_frames, cam.dropped) == (1, 1)


def test_dequeue_timeout_raises_frame_timeout_then_frames_flow_again(fake):
    cam = started(fake)
    try:
        with pytest.raises(FrameTimeout):
            cam.read(timeout=0.05)
        fake.emit(1)
        assert cam.read(timeout=0.5).frame_id == 0
        assert fake.called("dc1394_capture_dequeue")  # polled (our timeout), never POLICY_WAIT
        assert all(call[2] == 673 for call in fake.called("dc1394_capture_dequeue"))
    finally:
        cam.close()


def test_teardown_order_and_everything_released(fake):
    cam = started(fake)
    fake.emit(2)
    cam.read(0.5)
    cam.stop()
    cam.close()
    cam.close()  # idempotent
    steps = [c[0] for c in fake.calls if c[0] in {"dc1394_video_set_transmission", "dc1394_capture_setup",
             "dc1394_capture_stop", "dc1394_camera_free", "dc1394_free"}]  # fmt: skip
    assert steps == ["dc1394_capture_setup", "dc1394_video_set_transmission", "dc1394_video_set_transmission",
                     "dc1394_capture_stop", "dc1394_camera_free", "dc1394_free"]  # fmt: skip
    assert [c[2] for c in fake.called("dc1394_video_set_transmission")] == [1, 0]


def test_the_stand_in_is_strict_about_order():
    fake = FakeDC1394(CameraSpec())
    lib = iidc_ctypes.bind(fake)
    ctx = lib.dc1394_new()
    cam = lib.dc1394_camera_new(ctx, CameraSpec().guid)
    assert lib.dc1394_capture_setup(cam, 4, 4) == 0
    lib.dc1394_camera_free(cam)  # wrong: capture still running
    lib.dc1394_free(ctx)
    assert any("while capturing" in v for v in fake.violations)
    unbound = FakeDC1394(CameraSpec())  # a function called without the header's signature is refused
    assert not unbound.dc1394_new() and "declared as" in unbound.violations[0]


def test_no_bandwidth_is_a_clear_refusal():
    fake = FakeDC1394(CameraSpec(bandwidth=False))
    cam = iidc.create(settings(), loader=lambda: iidc_ctypes.bind(fake))
    cam.open()
    cam.configure(settings())
    with pytest.raises(CameraConfigError, match="bandwidth.*own card"):
        cam.start()
    cam.close()
    assert fake.check_released() == []


def test_camera_choice_by_guid():
    a, b = CameraSpec(guid=0xB09D01), CameraSpec(guid=0xB09D02)
    for spec_list, options, expected in [
        ([], {}, "no IIDC camera on the FireWire bus"),
        ([a, b], {}, "several IIDC cameras"),
        ([a], {"guid": "00b09d03"}, "not on the bus"),
    ]:
        fake = FakeDC1394(*spec_list)
        cam = iidc.create(settings(**options), loader=lambda f=fake: iidc_ctypes.bind(f))
        with pytest.raises(CameraError, match=expected):
            cam.open()
        cam.close()
        assert fake.check_released() == []
    fake = FakeDC1394(a, b)
    cam = iidc.create(settings(guid="0x00B09D02"), loader=lambda: iidc_ctypes.bind(fake))
    cam.open()
    assert fake.camera().spec is b
    cam.close()


def test_probe_reports_cameras_and_missing_library(fake):
    status = iidc.probe(loader=lambda: iidc_ctypes.bind(fake))
    assert status.available and status.devices == [
        "guid 00b09d0100a1b2c3 unit 0: Point Grey Research Grasshopper GRAS-03K2C (stand-in) (1394b)"
    ]

    def missing():
        raise BackendUnavailable("libdc1394 is not installed: sudo apt-get install libdc1394-25")

    status = iidc.probe(loader=missing)
    assert not status.available and "apt-get install libdc1394-25" in status.reason


def test_real_library_loads_binds_and_finds_no_camera_here():
    status = iidc.probe()  # the real libdc1394.so.25 (CI installs libdc1394-25)
    assert status.available, status.reason
    assert status.devices == [] and "0 IIDC camera(s)" in status.reason
    lib = iidc_ctypes.load_library()
    assert iidc_ctypes.error_text(lib, -8) == "Could not allocate bandwidth (libdc1394 error -8)"
    with pytest.raises(CameraError, match="no IIDC camera"):
        cam = iidc.create(settings())
        try:
            cam.open()
        finally:
            cam.close()


def test_preview_debayers_and_the_recording_stays_raw():
    mosaic = np.zeros((4, 4), np.uint8)
    mosaic[0::2, 0::2] = 200  # only the red sites of an RGGB tile are lit
    bgr = preview_bgr(mosaic, "bayer_rggb8")
    assert bgr.shape == (4, 4, 3) and (bgr[..., 2] > 150).all() and (bgr[..., :2] < 50).all()
    assert mosaic.ndim == 2  # the frame handed to the recorder is the mosaic itself


def test_casme_rig_gras_block_passes_the_rig_checks(tmp_path):
    gras = yaml.safe_load((REPO / "hardware/rigs/casme.yaml").read_text())["cameras"]["gras"]
    rig = load_rig(write_rig(tmp_path / "gras.yaml", {"gras": gras}))
    s = rig.cameras["gras"]
    assert (s.backend, s.width, s.height, s.fps) == ("iidc", 640, 480, 60.0)
    assert s.options["operation_mode"] == "1394b" and s.options["iso_speed"] == 800


@pytest.mark.skipif(not (REPO / "hardware/cameras/uvc.py").exists(), reason="the uvc backend has not landed yet")
def test_casme_rig_loads():
    rig = load_rig(REPO / "hardware/rigs/casme.yaml")
    assert rig.camera_names() == ["gras", "benq"]
