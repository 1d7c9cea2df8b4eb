"""Video files: the lossless encoder, the reader, the ffmpeg probe and the frames.tsv table."""

from __future__ import annotations

from hardware.video.encoder import VideoWriter, WriterError, ffmpeg_exe
from hardware.video.frames_tsv import COLUMNS, FramesTsvWriter, FrameTable, drop_rows_beyond, read_frames_tsv
from hardware.video.reader import VideoFileError, count_frames, iter_frames

__all__ = [
    "COLUMNS",
    "FrameTable",
    "FramesTsvWriter",
    "VideoFileError",
    "VideoWriter",
    "WriterError",
    "count_frames",
    "drop_rows_beyond",
    "ffmpeg_exe",
    "iter_frames",
    "read_frames_tsv",
]
