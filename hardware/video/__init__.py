"""Video files: the lossless encoder, the readers (in order; by frame index), the ffmpeg probe, frames.tsv."""

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
from hardware.video.indexed import IndexedReader, KeyframeIndex, build_index
from hardware.video.probe import DecodeResult, MediaInfo, VideoFileError, decode_media, probe_media, probe_size
from hardware.video.reader import count_frames, iter_frames

__all__ = [
    "COLUMNS",
    "DecodeResult",
    "DiskFull",
    "FileCheck",
    "FrameTable",
    "FramesTsvWriter",
    "IndexedReader",
    "KeyframeIndex",
    "MediaInfo",
    "TableCheck",
    "VideoFileError",
    "VideoWriter",
    "WriterError",
    "build_index",
    "check_table",
    "count_frames",
    "decode_media",
    "drop_rows_beyond",
    "ffmpeg_exe",
    "free_bytes",
    "is_disk_full",
    "iter_frames",
    "probe_media",
    "probe_size",
    "read_frames_tsv",
    "repair_tail",
]
