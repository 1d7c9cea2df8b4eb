"""Video files: the lossless encoder, the reader, the ffmpeg probe and the frames.tsv table."""

from __future__ import annotations

from hardware.video.consistency import FileCheck, TableCheck, check_table
from hardware.video.encoder import DiskFull, VideoWriter, WriterError, ffmpeg_exe, free_bytes, is_disk_full
from hardware.video.frames_tsv import (
    COLUMNS,
    FramesTsvWriter,
    FrameTable,
    drop_rows_beyond,
    read_frames_tsv,
    repair_tail,
)
from hardware.video.reader import count_frames, iter_frames

__all__ = [
    "COLUMNS",
    "DiskFull",
    "FileCheck",
    "FrameTable",
    "FramesTsvWriter",
    "TableCheck",
    "VideoWriter",
    "WriterError",
    "check_table",
    "count_frames",
    "drop_rows_beyond",
    "ffmpeg_exe",
    "free_bytes",
    "is_disk_full",
    "iter_frames",
    "read_frames_tsv",
    "repair_tail",
]
