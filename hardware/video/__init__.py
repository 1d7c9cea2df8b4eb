"""Video files: the lossless encoder, the reader, the ffmpeg probe and the frames.tsv table."""

from __future__ import annotations

from hardware.video.encoder import VideoWriter, WriterError, ffmpeg_exe
from hardware.video.frames_tsv import COLUMNS, FramesTsvWriter, FrameTable, drop_rows_beyond, read_frames_tsv
from hardware.video.probe import DecodeResult, MediaInfo, VideoFileError, decode_media, probe_media, probe_size
from hardware.video.reader import count_frames, iter_frames

__all__ = [
    "COLUMNS",
    "DecodeResult",
    "FrameTable",
    "FramesTsvWriter",
    "MediaInfo",
    "VideoFileError",
    "VideoWriter",
    "WriterError",
    "count_frames",
    "decode_media",
    "drop_rows_beyond",
    "ffmpeg_exe",
    "iter_frames",
    "probe_media",
    "probe_size",
    "read_frames_tsv",
]
