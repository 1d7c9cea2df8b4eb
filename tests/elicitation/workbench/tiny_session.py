"""A small session folder for workbench tests: two cameras, episode 01 and the recording after it,
barcoded frames (camera frame id = FIRST_ID + frames.tsv frame), events.tsv, review.tsv and ratings.tsv."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hardware.cameras.base import Frame, StreamFormat
from hardware.cameras.sim import barcode
from hardware.video import FramesTsvWriter, VideoWriter

T0 = 5000.0
FILES = (("ep01", 90), ("after01", 40))  # suffix, frames
FIRST_ID = 7000


def make_session(folder: Path) -> Path:
    video = folder / "video"
    video.mkdir(parents=True)
    for camera, offset in (("gras", 0.0), ("uvc", 0.004)):
        table = FramesTsvWriter(video / f"{camera}_frames.tsv")
        n = 0
        for suffix, count in FILES:
            name = f"{camera}_{suffix}.mkv"
            writer = VideoWriter(video / name, StreamFormat(384, 32, "mono8", 60.0))
            for k in range(count):
                pixels = np.full((32, 384), 100 + (n % 50), np.uint8)
                barcode.write(pixels, FIRST_ID + n)
                host = T0 + offset + n / 60
                writer.write(Frame(pixels=pixels, frame_id=FIRST_ID + n, host_time=host))
                table.write(FIRST_ID + n, host, None, name, k)
                n += 1
            writer.close()
        table.close()
    clip = T0 + 10 / 60
    (folder / "events.tsv").write_text(
        "onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time\n"
        f"0.1\t1.0\tepisode\t01\tclip1.mp4\t{clip:.6f}\n"
        f"0.2\tn/a\tpenalty_mark\t01\tn/a\t{T0 + 0.5:.6f}\n"
        f"0.3\tn/a\tpenalty_mark\t01\tn/a\t{T0 + 99:.6f}\n"
        f"0.4\t0.25\tface_lost\tn/a\tn/a\t{T0 - 0.1:.6f}\n"
        f"0.5\tn/a\tface_lost\tn/a\tn/a\t{T0 + 2.0:.6f}\n"
    )
    (folder / "review.tsv").write_text(
        "episode\tcamera\tfile\tfile_frame\tclock_time\tcategory\tnote\taction\tsource\ttime_utc\n"
        f"01\tgras\tgras_ep01.mkv\t30\t{T0 + 0.5:.6f}\tswallowing\t\tflag\tsession\t2026-12-01T10:00:00+00:00\n"
        f"01\tgras\tgras_ep01.mkv\t60\t{T0 + 1.0:.6f}\tother\t\tflag\tsession\t2026-12-01T10:00:01+00:00\n"
        f"01\tgras\tgras_ep01.mkv\t60\t{T0 + 1.0:.6f}\tother\t\tremove\tlater\t2026-12-01T11:00:00+00:00\n"
    )
    (folder / "ratings.tsv").write_text(
        "episode\tstimulus\temotion\tintensity\trt_choice\trt_intensity\trt_done\tscreen_onset_clock\n"
        "01\tclip1.mp4\tdisgust\t3\t1.0\t1.0\t2.0\t5010.0\n"
    )
    return folder
