"""The session folder ``DATA/sub-<ID>/ses-<N>/`` (mode 0700) and its ``session.json``.

session.json is the session's state as well as its record: it is rewritten atomically (temp file
+ rename) at every change, so after a crash or a kill it says exactly which episodes are done,
which one was interrupted, and which files belong to which attempt; ``--resume`` reads it.
Everything else in the folder is append-only.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
from pathlib import Path
from typing import Any

from elicitation.errors import ElicitationError

FORMAT = "casme-elicitation session v1"
RESERVE_NAME = ".reserve"  # pre-allocated space, given back so the last session.json fits on a full disk
RESERVE_BYTES = 4 * 2**20
REQUIRED = {"status": str, "runs": list, "episodes": dict, "warnings": list}  # what every reader relies on
_PARTICIPANT = re.compile(r"[A-Za-z0-9]{1,16}")  # the whole ID (fullmatch: "$" would allow a final newline)


class BadInput(ElicitationError):
    """Raised when an argument, ID or file given on the command line is unusable (exit code 2)."""


def check_participant(participant: str) -> str:
    """Pseudonyms only: letters and digits, at most 16 (no paths, spaces or names with dots)."""
    if not _PARTICIPANT.fullmatch(participant or ""):
        raise BadInput(
            f"participant ID {participant!r} refused: use a pseudonym of letters and digits only, "
            "at most 16 (for example P07); never a name, a path or spaces"
        )
    return participant


def session_path(data: Path, participant: str, session: int) -> Path:
    if session < 1:
        raise BadInput(f"session number must be 1 or more, got {session}")
    return Path(data) / f"sub-{check_participant(participant)}" / f"ses-{session}"


def create_private_dir(path: Path) -> None:
    """mkdir -p where every folder we create is 0700 (it will hold faces)."""
    missing = []
    probe = Path(path)
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask


def open_private(path: Path, mode: str = "a") -> Any:
    """Open a file of the session folder as text, created (or kept) 0600: only the user may read it."""
    flags = {"a": os.O_WRONLY | os.O_APPEND | os.O_CREAT, "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC}[mode]
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode, encoding="utf-8", newline="")


def clean_video_files(data: dict[str, Any], camera: str) -> dict[str, int]:
    """file -> frames of the videos a camera's recorder closed without error (its run summaries):
    checks of videos against their rows need not decode these again."""
    out: dict[str, int] = {}
    for run in data.get("runs", []):
        summary = (run.get("cameras") or {}).get(camera) or {}
        if not summary.get("error"):
            out.update({f["file"]: int(f["frames"]) for f in summary.get("files") or []})
    return out


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class SessionState:
    """session.json, loaded or new, saved atomically on every change."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = Path(path)
        self.data = data

    @classmethod
    def new(cls, folder: Path, **fields: Any) -> SessionState:
        data: dict[str, Any] = {
            "format": FORMAT,
            "status": "running",
            "started_utc": utc_now(),
            "ended_utc": None,
            "runs": [],
            "episodes": {},
            "penalties": {"marks": []},
            "warnings": [],
            **fields,
        }
        state = cls(Path(folder) / "session.json", data)
        state.save()
        return state

    @classmethod
    def load(cls, folder: Path) -> SessionState:
        path = Path(folder) / "session.json"
        if not path.is_file():
            raise BadInput(f"{folder} has no session.json: nothing to resume")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadInput(f"{path} is not valid JSON ({exc}); it cannot be used") from None
        except OSError as exc:
            raise BadInput(f"{path} cannot be read: {exc.strerror or exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise BadInput(f"{path} was not written by this program ({found!r})")
        for key, kind in REQUIRED.items():
            if not isinstance(data.get(key), kind):
                raise BadInput(f"{path} is damaged: '{key}' is missing or not a {kind.__name__}")
        return cls(path, data)

    def save(self, sync: bool = True) -> None:
        """Replace session.json atomically. sync=False (while a clip plays) skips the fsync: the
        rename alone survives a killed process; only a power cut could lose that last change.
        On a full disk the reserve is given back and the save tried once more; a failed save
        leaves no temp file."""
        try:
            self._write(sync)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or not self.release_reserve():
                raise
            self._write(sync)

    def _write(self, sync: bool) -> None:
        tmp = self.path.with_name(".session.json.tmp")
        try:
            with open_private(tmp, "w") as fh:
                json.dump(self.data, fh, indent=2, default=str)
                fh.write("\n")
                fh.flush()
                if sync:
                    os.fsync(fh.fileno())
            tmp.replace(self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def make_reserve(self, size: int = RESERVE_BYTES) -> None:
        """Set space aside (a pre-allocated hidden file) for the final state of a disk-full stop."""
        path = self.path.with_name(RESERVE_NAME)
        if path.is_file() and path.stat().st_size >= size:
            return
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            try:
                os.posix_fallocate(fd, 0, size)
            except OSError:  # a file system without fallocate: real blocks the slow way
                os.ftruncate(fd, 0)
                os.write(fd, bytes(size))
            os.fsync(fd)
        finally:
            os.close(fd)

    def release_reserve(self) -> bool:
        """Delete the reserve; returns whether there was one to give back."""
        path = self.path.with_name(RESERVE_NAME)
        if not path.exists():
            return False
        path.unlink()
        return True

    # -- helpers ---------------------------------------------------------------------------
    def warn(self, message: str, save: bool = True) -> None:
        self.data["warnings"].append({"utc": utc_now(), "message": message})
        if save:
            self.save()

    def episode(self, label: str) -> dict[str, Any]:
        return self.data["episodes"][label]

    def current_run(self) -> dict[str, Any]:
        return self.data["runs"][-1]

    def first_unfinished(self) -> str | None:
        for label, entry in self.data["episodes"].items():
            if entry["status"] != "done":
                return label
        return None

    def penalty_count(self) -> int:
        return len(self.data["penalties"]["marks"])

    def mark_interrupted(self) -> list[str]:
        """After a crash: attempts that were playing become incomplete. Returns their descriptions."""
        changed = []
        for label, entry in self.data["episodes"].items():
            for attempt in entry["attempts"]:
                if attempt["status"] == "playing":
                    attempt["status"] = "incomplete"
                    changed.append(f"episode {label} attempt {attempt['attempt']} ({attempt['suffix']})")
            if entry["status"] == "playing":
                entry["status"] = "pending"
        run = self.data["runs"][-1] if self.data["runs"] else None
        if run is not None and run.get("status") == "running":
            run["status"] = "interrupted"
        return changed
