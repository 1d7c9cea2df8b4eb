"""``<session>/lsl/<stream>.tsv``: one recorded stream, one row per sample, appended as it arrives.

Columns: ``timestamp`` (seconds on the one clock: the sender's time stamp plus liblsl's time
correction for that stream), ``lsl_timestamp`` (the sender's own time stamp, as received), then one
column per channel named by the stream's channel labels (``ch1`` ... where it has none).

Why TSV: the session's other tables (events.tsv, frames.tsv) are TSV; rows are appended whole
(one ``os.write`` per chunk, a torn last row of a crash is cut on the next open), so a stream that
stops or a session that is killed keeps every sample written; no library is needed to write or
read it. pandas reads it with ``pd.read_csv(path, sep="\\t")``; MNE takes the channel columns of
that frame as ``mne.io.RawArray(df[labels].to_numpy().T, mne.create_info(labels, rate))``. The
whole lab's XDF stays LabRecorder's job.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

_UNSAFE = re.compile(r"[\t\r\n]")
TIME_COLUMNS = ("timestamp", "lsl_timestamp")


def column_names(labels: Sequence[str | None] | None, channels: int) -> list[str]:
    """The stream's channel labels as unique, tab-free column names (``ch<i>`` where missing)."""
    names: list[str] = []
    given = list(labels or [])
    for i in range(channels):
        label = given[i] if i < len(given) else None
        name = " ".join(_UNSAFE.sub(" ", label).split()) if label else f"ch{i + 1}"
        while name in names or name in TIME_COLUMNS:
            name = f"{name}_{i + 1}"
        names.append(name)
    return names


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return _UNSAFE.sub(" ", value)
    return repr(float(value)) if isinstance(value, float) else str(value)


class StreamTsvWriter:
    """Appends rows to a 0600 file; a file whose header differs (the stream changed) is not mixed into."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        header = "\t".join([*TIME_COLUMNS, *columns]) + "\n"
        path = Path(path)
        n = 1
        while path.exists() and path.stat().st_size and not _starts_with(path, header):
            n += 1
            path = path.with_name(f"{path.stem.split('.run')[0]}.run{n}.tsv")
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(self._fd, 0o600)
        size = os.fstat(self._fd).st_size
        if size and os.pread(self._fd, 1, size - 1) != b"\n":  # a torn row a kill left behind
            os.ftruncate(self._fd, os.pread(self._fd, size, 0).rfind(b"\n") + 1)
            size = os.fstat(self._fd).st_size
        if size == 0:
            os.write(self._fd, header.encode("utf-8"))
        self.rows = 0

    def write(self, samples: Sequence[Sequence[Any]], raw_times: Sequence[float], correction: float) -> None:
        if not len(raw_times):
            return
        lines = [
            "\t".join([f"{t + correction:.6f}", f"{t:.6f}", *map(_cell, sample)])
            for sample, t in zip(samples, raw_times, strict=True)
        ]
        data = memoryview(("\n".join(lines) + "\n").encode("utf-8"))
        while data:
            data = data[os.write(self._fd, data) :]
        self.rows += len(lines)

    def close(self) -> None:
        os.close(self._fd)


def _starts_with(path: Path, header: str) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(header.encode("utf-8"))) == header.encode("utf-8")


@dataclass
class StreamTable:
    columns: list[str]
    timestamp: np.ndarray
    lsl_timestamp: np.ndarray
    rows: list[list[str]]  # channel cells as text

    def __len__(self) -> int:
        return len(self.timestamp)


def read_stream_tsv(path: Path) -> StreamTable:
    """A recorded stream; a row cut short by a crash is skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t") if lines else []
    if header[:2] != list(TIME_COLUMNS):
        raise ValueError(f"{path}: not a recorded LSL stream (expected columns {', '.join(TIME_COLUMNS)}, ...)")
    times, raw, rows = [], [], []
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != len(header):
            continue
        try:
            times.append(float(cells[0]))
            raw.append(float(cells[1]))
        except ValueError:
            continue
        rows.append(cells[2:])
    return StreamTable(header[2:], np.array(times), np.array(raw), rows)
