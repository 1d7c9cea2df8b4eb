"""The UVC backend against a strict stand-in of cv2.VideoCapture's V4L2 backend (tests/fakes/videocapture.py:
no webcam or HDMI grabber exists on CI), and a recording through the real recorder and ffmpeg."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from hardware import clock
from hardware.cameras import CameraConfigError, CameraSettings, FrameTimeout
from hardware.cameras.sim import barcode
from hardware.cameras.uvc import camera as uvc
from hardware.cameras.uvc.devices import resolve_device
from hardware.cameras.uvc.frames import preview_bgr
from hardware.recording import Recorder
from hardware.rig import load_rig
from hardware.video import ffmpeg_exe, read_frames_tsv
from tests.conftest import write_rig
from tests.fakes.videocapture import DeviceSpec, FakeVideoCapture


def settings(pixel_format="mjpeg", width=640, height=480, fps=60.0, **options) -> CameraSettings:
    return CameraSettings("benq", "uvc", width, height, pixel_format, fps, {"warmup_s": 0.25, **options})


def camera(s: CameraSettings, spec: DeviceSpec | None = None) -> tuple[uvc.UVCCamera, list[FakeVideoCapture]]:
    made: list[FakeVideoCapture] = []

    def factory(device, api):
        made.append(FakeVideoCapture(device, api, spec))
        return made[-1]

    cam = uvc.create(s, capture_factory=factory)
    cam.open()
    return cam, made


def configured(s: CameraSettings, spec: DeviceSpec | None = None):
    cam, made = camera(s, spec)
    fmt = cam.configure(s)
    cam.start()
    return cam, made[0], fmt


def device_number(frame, fmt) -> int:
    return barcode.read(preview_bgr(frame, fmt))


def test_mjpeg_passthrough_stores_the_bytes_the_device_delivered_in_negotiation_order():
    cam, fake, fmt = configured(settings(), DeviceSpec(keep_delivered=True))
    frames = [cam.read() for _ in range(15)]
    cam.close()
    assert fmt.pixel_format == "mjpeg" and fmt.fps == 60
    props = [prop for _, prop, _ in fake.calls]
    order = [cv2.CAP_PROP_FOURCC, cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT, cv2.CAP_PROP_FPS]
    assert [props.index(p) for p in order] == sorted(props.index(p) for p in order)
    assert fake.convert_rgb is False  # V4L2 raw mode
    for f in frames:
        assert f.pixels is None and f.data[:2] == b"\xff\xd8"
        assert f.data == fake.delivered[device_number(f, fmt)]
    assert [f.frame_id for f in frames] == list(range(15))


@pytest.mark.parametrize(
    "s, spec, message",
    [
        (settings(width=1920, height=1080), None, "1280x720 instead of 1920x1080"),
        (settings("yuyv", 1280, 720), None, "10.00 fps by its settings"),
        (settings("bgr24", fourcc="H264"), None, "does not accept the stream format H264"),
        (settings("mono8"), None, "must be mjpeg, yuyv or bgr24"),
        (settings(), DeviceSpec(deliver_fps=30), "30.00 fps measured, instead of 60"),
    ],
)
def test_modes_the_device_will_not_deliver_are_refused(s, spec, message):
    cam, _ = camera(s, spec)
    with pytest.raises(CameraConfigError, match=message.replace(".", r"\.")):
        cam.configure(s)


def test_allow_lower_fps_records_at_the_rate_the_device_really_delivers():
    cam, _, fmt = configured(settings(allow_lower_fps=True), DeviceSpec(deliver_fps=30))
    frames = [cam.read() for _ in range(10)]
    assert fmt.fps == pytest.approx(30.0, abs=0.05)
    assert [f.frame_id for f in frames] == list(range(10)) and cam.dropped == 0  # 33 ms steps are no drops


def test_yuyv_falls_back_to_raw_frames_for_lossless_storage():
    cam, _, fmt = configured(settings("yuyv", fps=30))
    frame = cam.read()
    assert fmt.pixel_format == "yuyv" and frame.pixels.shape == (480, 640, 2) and frame.data is None
    assert device_number(frame, fmt) > 0


@pytest.mark.parametrize("stamps", ["monotonic", "offset", "none"])
def test_buffer_timestamps_are_mapped_onto_the_one_clock(stamps):
    cam, fake, _ = configured(settings(), DeviceSpec(timestamps=stamps))
    for _ in range(20):
        frame = cam.read()
        true_start = fake._stamp  # the device's start of frame, on CLOCK_MONOTONIC
        assert frame.host_time <= clock.now()
        if stamps == "monotonic":  # V4L2/uvcvideo: already our clock, used as is
            assert frame.camera_time == pytest.approx(true_start, abs=1e-6) and frame.host_time == frame.camera_time
        elif stamps == "offset":  # another clock: offset from the quickest arrival, so within the latency
            assert frame.camera_time == pytest.approx(true_start + 5000, abs=1e-6)
            assert 0 <= frame.host_time - true_start < 0.02
        else:  # no timestamp: host arrival time
            assert frame.camera_time is None and frame.host_time >= true_start + fake.spec.latency_s
    expected_source = {"monotonic": "driver buffer", "offset": "driver timestamp", "none": "host"}[stamps]
    assert cam.time_source.startswith(expected_source)


def test_drops_are_found_in_timestamp_gaps_and_ids_skip_them():
    cam, _, fmt = configured(settings(), DeviceSpec(lost=frozenset({40, 41, 45})))
    frames = [cam.read() for _ in range(45)]
    numbers = [device_number(f, fmt) for f in frames]
    assert numbers[0] < 40 < numbers[-1]
    assert [f.frame_id for f in frames] == [n - numbers[0] for n in numbers]  # ids follow the device's count
    assert cam.dropped == 3


def test_a_device_that_stops_delivering_times_out_without_spinning():
    cam, _, _ = configured(settings(), DeviceSpec(unplugged_after=30))
    with pytest.raises(FrameTimeout):
        while True:
            cam.read(timeout=0.2)
    started = clock.now()
    with pytest.raises(FrameTimeout):
        cam.read(timeout=0.2)
    assert clock.now() - started >= 0.2  # the recorder's loop retries; it must not spin


def test_device_by_index_path_or_name(tmp_path):
    for node, name, index in [(0, "Integrated Camera", 0), (1, "Integrated Camera", 1), (2, "BenQ M31", 0),
                              (3, "BenQ M31", 1), (4, "USB Video", 0), (6, "USB Video", 0)]:  # fmt: skip
        (tmp_path / f"video{node}").mkdir()
        (tmp_path / f"video{node}" / "name").write_text(name + "\n")
        (tmp_path / f"video{node}" / "index").write_text(f"{index}\n")
    assert resolve_device("benq m31", "benq", "linux", tmp_path) == "/dev/video2"  # the capture node, not metadata
    assert resolve_device(2, "benq", "linux", tmp_path) == 2 and resolve_device("1", "benq", "linux", tmp_path) == 1
    by_id = "/dev/v4l/by-id/usb-BenQ-video-index0"
    assert resolve_device(by_id, "benq", "linux", tmp_path) == by_id
    with pytest.raises(CameraConfigError, match="several video devices match 'USB Video'"):
        resolve_device("USB Video", "benq", "linux", tmp_path)
    with pytest.raises(CameraConfigError, match="no video device named 'Logitech'.*video2: BenQ M31"):
        resolve_device("Logitech", "benq", "linux", tmp_path)
    with pytest.raises(CameraConfigError, match="opened by index"):
        resolve_device("BenQ M31", "benq", "win32", tmp_path)


def _mjpeg_packets(path: Path) -> bytes:
    """The MKV's video packets, as stored (stream copy out, no decoding)."""
    cmd = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0", "-c:v", "copy", "-f", "mjpeg", "pipe:1"]
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def test_recorder_stores_the_uvc_mjpeg_stream_without_reencoding(tmp_path, monkeypatch):
    monkeypatch.setenv(uvc.ENV_FACTORY, "tests.fakes.videocapture:webcam")  # inherited by the camera process
    cam = {"backend": "uvc", "width": 640, "height": 480, "pixel_format": "mjpeg", "fps": 60, "warmup_s": 0.3}
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"benq": cam}))
    with Recorder(rig, tmp_path / "rec") as rec:
        time.sleep(1.5)
    assert rec.summaries["benq"]["error"] == ""
    video, table = tmp_path / "rec" / "benq.mkv", read_frames_tsv(tmp_path / "rec" / "benq_frames.tsv")
    decoded = [barcode.read(f) for f in _decode_bgr(video)]
    assert len(decoded) == len(table) > 60
    assert np.all(np.diff(decoded) == 1)  # every device frame, in order
    assert list(np.array(decoded) - decoded[0]) == list(table.camera_frame_id - table.camera_frame_id[0])
    reference = FakeVideoCapture(0, cv2.CAP_V4L2)
    reference.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
    assert _mjpeg_packets(video) == b"".join(reference._encode(n) for n in decoded)  # byte for byte


def _decode_bgr(path: Path):
    from hardware.video import iter_frames

    return iter_frames(path, "bgr24")
