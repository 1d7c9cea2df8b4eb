"""The PySpin backend against tests/fakes/pyspin.py, a strict stand-in of FLIR's PySpin API (PySpin is not on the
package index and CI has no FLIR camera). The backend code is the real one; only the module it imports differs."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import numpy as np
import pytest

from hardware.cameras.base import CameraConfigError, CameraSettings, FrameTimeout
from hardware.cameras.pyspin import camera as backend
from hardware.cameras.sim import barcode
from hardware.recording import Recorder
from hardware.rig import load_rig
from hardware.video import iter_frames, read_frames_tsv
from tests.conftest import REPO, write_rig
from tests.fakes import pyspin as ps


@pytest.fixture(autouse=True)
def fresh_sdk():
    ps.CONFIG.clear()
    ps._SYSTEM = None
    yield
    ps.CONFIG.clear()
    ps._SYSTEM = None


def settings(**over) -> CameraSettings:
    opts = {k: over.pop(k) for k in list(over) if k in backend.OPTIONS}
    cam = {"width": 640, "height": 480, "pixel_format": "mono8", "fps": 60.0, **over}
    return CameraSettings(name="flir", backend="pyspin", options=opts, **cam)


def opened(s: CameraSettings) -> backend.PySpinCamera:
    cam = backend.create(s, pyspin=ps)
    cam.open()
    cam.configure(s)
    return cam


def test_configuration_follows_flirs_examples_and_is_read_back():
    cam = opened(settings(exposure_us=4000.0, buffers=20))
    dev = ps.System.GetInstance()._devices[0]
    try:
        nodes, stream = dev._nodes, dev.stream
        assert stream["StreamBufferHandlingMode"].value == "OldestFirst"
        assert stream["StreamBufferCountManual"].value == 20
        assert nodes["AcquisitionMode"].value == "Continuous" and nodes["ExposureAuto"].value == "Off"
        assert nodes["ExposureTime"].value == 4000.0
        assert (nodes["Width"].value, nodes["Height"].value, nodes["PixelFormat"].value) == (640, 480, "Mono8")
        assert nodes["AcquisitionFrameRateEnable"].value is True and nodes["AcquisitionFrameRate"].value == 60.0
        assert nodes["ChunkModeActive"].value and dev.chunks == {"FrameID": True, "Timestamp": True}
        assert nodes["TriggerMode"].value == "Off"
    finally:
        cam.close()


@pytest.mark.parametrize(
    ("config", "over", "message"),
    [
        ({"max_fps": 30.0}, {}, r"AcquisitionFrameRate = 60 is outside what the camera allows now \(1 .. 30\)"),
        ({}, {"exposure_us": 17000.0}, "exposure_us 17000 is not below the frame period"),
        ({"readout_us": 1000.0}, {"exposure_us": 16000.0}, r"AcquisitionFrameRate = 60 is outside"),  # too long
        ({}, {"width": 1920}, r"Width = 1920 is outside what the camera allows now \(16 .. 720\)"),
        ({}, {"pixel_format": "bgr24"}, "PixelFormat has no entry BGR8"),
        ({}, {"serial": "999"}, r"no FLIR camera with serial 999 \(found: \['21187337'\]\)"),
    ],
)
def test_what_the_camera_cannot_deliver_is_refused(config, over, message):
    ps.CONFIG.update(config)
    s = settings(**over)
    cam = backend.create(s, pyspin=ps)
    with pytest.raises(CameraConfigError, match=message):
        cam.open()
        cam.configure(s)
    cam.close()
    assert ps._SYSTEM is None  # released cleanly even after the refusal


def test_frames_carry_chunk_ids_and_timestamps_and_incomplete_images_are_dropped():
    ps.CONFIG.update(incomplete=[3], skipped=[6])
    cam = opened(settings())
    try:
        cam.start()
        frames = [cam.read(1.0) for _ in range(8)]
        dev = ps.System.GetInstance()._devices[0]
        assert not dev.outstanding  # every image was released
    finally:
        cam.close()
    assert [f.frame_id for f in frames] == [0, 1, 2, 4, 5, 7, 8, 9]  # 3 incomplete, 6 never arrived: gaps
    assert cam.incomplete == 1
    assert [barcode.read(f.pixels) for f in frames] == [f.frame_id for f in frames]  # copied before Release
    cam_times = np.array([f.camera_time for f in frames])
    assert np.allclose(np.diff(cam_times), np.diff([f.frame_id for f in frames]) / 60.0, atol=1e-9)


def test_camera_timestamps_are_mapped_onto_the_one_clock_with_offset_and_drift(monkeypatch):
    ps.CONFIG.update(drift_ppm=50.0, camera_epoch_s=98765.0)
    monkeypatch.setattr("hardware.cameras.pyspin.latch_clock.REFRESH_S", 0.3)
    cam = opened(settings(fps=100.0, width=320, height=240, exposure_us=2000.0))
    dev = ps.System.GetInstance()._devices[0]
    try:
        cam.start()
        frames = [cam.read(1.0) for _ in range(300)]  # 3 s: enough latch samples for the drift under load
    finally:
        cam.close()
    assert len(cam.clock.samples) >= 4
    # the stand-in exposes frame k at host time start + (k / fps) / (1 + drift); its camera clock counts from
    # another epoch and runs 50 ppm fast: the mapped host_time must land on the true exposure time
    k = np.array([f.frame_id for f in frames])
    truth = dev.start + (k / 100.0) / (1 + 50e-6)
    assert np.max(np.abs(np.array([f.host_time for f in frames]) - truth)) < 0.001
    assert cam.clock.drift_ppm == pytest.approx(50.0, abs=10.0)


def test_hardware_trigger_is_configured_in_flirs_order():
    cam = opened(settings(trigger={"source": "Line3", "activation": "RisingEdge"}))
    dev = ps.System.GetInstance()._devices[0]
    try:
        order = [name for name, _ in dev.written if name.startswith("Trigger") or name == "AcquisitionFrameRateEnable"]
        assert order == ["TriggerMode", "TriggerSelector", "TriggerSource", "TriggerActivation",
                         "AcquisitionFrameRateEnable", "TriggerMode"]  # fmt: skip
        assert dev._nodes["TriggerMode"].value == "On" and dev._nodes["TriggerSource"].value == "Line3"
        cam.start()
        with pytest.raises(FrameTimeout):  # no pulse on the line: no frame, and no busy spin
            cam.read(0.2)
    finally:
        cam.close()


def test_teardown_follows_the_sdk_order_and_releases_everything():
    cam = opened(settings())
    system = ps.System.GetInstance()
    cam.start()
    cam.read(1.0)
    cam.close()
    assert system.log == ["Init", "BeginAcquisition", "EndAcquisition", "DeInit", "Clear", "ReleaseInstance"]
    assert ps._SYSTEM is None


def test_the_stand_in_is_strict_about_order_and_references():
    system = ps.System.GetInstance()
    cams = system.GetCameras()
    cam = cams.GetByIndex(0)
    cam.Init()
    cam.BeginAcquisition()
    image = cam.GetNextImage(1000)
    with pytest.raises(ps.SpinnakerException, match="still streaming"):
        cam.DeInit()
    cam.EndAcquisition()
    cam.DeInit()
    cams.Clear()
    with pytest.raises(ps.SpinnakerException, match=r"still holds a reference.*-1004"):
        system.ReleaseInstance()  # the camera reference and the image are still alive
    image.Release()
    with pytest.raises(ps.SpinnakerException, match="-1004"):
        system.ReleaseInstance()  # the CameraPtr is still alive
    del cam
    gc.collect()
    system.ReleaseInstance()
    node = ps.System.GetInstance().GetCameras().GetByIndex(0).GetNodeMap().GetNode("Width")
    assert not ps.IsAvailable(node)  # not initialized: the node map is not available


def test_recorder_records_a_flir_camera_through_the_real_pipeline(tmp_path, monkeypatch):
    monkeypatch.setenv(backend.ENV_MODULE, "tests.fakes.pyspin")  # imported instead of PySpin in the camera process
    monkeypatch.setenv("ELICIT_FAKE_PYSPIN_CONFIG", json.dumps({"skipped": [30, 31]}))
    cam = {"backend": "pyspin", "serial": "21187337", "width": 640, "height": 480, "pixel_format": "mono8", "fps": 60}
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"flir": cam}))
    with Recorder(rig, tmp_path / "rec") as rec:
        import time

        time.sleep(1.5)
    summary = rec.summaries["flir"]
    assert summary["error"] == "" and summary["dropped"] == 2
    table = read_frames_tsv(tmp_path / "rec" / "flir_frames.tsv")
    decoded = [barcode.read(f) for f in iter_frames(tmp_path / "rec" / "flir.mkv", "gray")]
    assert decoded == list(table.camera_frame_id) and 30 not in decoded and len(decoded) > 60
    assert np.all(np.isfinite(table.camera_time))


def test_without_pyspin_the_backend_says_where_to_get_it():
    code = "from hardware.cameras import probe_backends as p\nprint([s.reason for s in p() if s.name == 'pyspin'][0])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "PySpin is not on the package index" in result.stdout and "spinnaker_python" in result.stdout


def test_probe_lists_cameras_and_releases_the_system():
    status = backend.probe(pyspin=ps)
    assert status.available and status.devices == ["Blackfly S BFS-U3-04S2M serial 21187337"]
    assert "Spinnaker 4.0.0.116" in status.reason and ps._SYSTEM is None


def test_example_rig_loads():
    rig = load_rig(REPO / "hardware" / "rigs" / "flir-blackfly.yaml")
    assert {s.backend for s in rig.cameras.values()} == {"pyspin"}
