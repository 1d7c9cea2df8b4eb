"""One writer per folder: a lock file held (``flock``) for the life of the process that writes there.

A session folder is claimed before anything is written into it. A new folder appears atomically
with its lock already held: it is built under a hidden temporary name, locked, and renamed into
place (a rename never replaces a folder that holds anything), so of two runs started at once exactly
one gets the folder and the other finds it locked. A second writer (another run, a ``--resume`` of a
running session, a second workbench server for one coder) is refused with the holder's pid and host,
which the lock file records. The kernel drops the lock when the holder dies, even by SIGKILL, so a
stale lock file never blocks anyone.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path

from elicitation.folder.state import BadInput, create_private_dir, utc_now

LOCK_NAME = ".lock"
_READ_RETRY_S = 2.0  # the holder writes its pid right after locking: a reader may be a moment early


class FolderLock:
    """A held lock on one file; ``release()`` unlinks the file, then unlocks (idempotent)."""

    def __init__(self, path: Path, fd: int, created: list[Path]) -> None:
        self.path = path
        self._fd: int | None = fd
        self._created = created  # folders this claim made, removed by release(remove_new=True) when empty

    @property
    def held(self) -> bool:
        return self._fd is not None

    def moved(self, path: Path, created: list[Path]) -> None:
        """The lock file's folder was renamed: its new path, and the folders the claim created."""
        self.path, self._created = path, created

    def keep_folders(self) -> None:
        """The claimed folder now holds data: release() must never remove it."""
        self._created = []

    def release(self, remove_new: bool = False) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still locked: nobody can take a lock on a dead inode
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None
        if remove_new:
            for folder in reversed(self._created):  # innermost first
                try:
                    folder.rmdir()
                except OSError:
                    break


def holder(lock_file: Path) -> dict | None:
    """Who holds `lock_file` ({"pid", "host", "since", "what"}), or None when nobody does."""
    try:
        fd = os.open(lock_file, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(lock_file)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read_holder(lock_file: Path) -> dict:
    deadline = time.monotonic() + _READ_RETRY_S
    while True:
        try:
            info = json.loads(lock_file.read_text(encoding="utf-8"))
            if isinstance(info, dict) and "pid" in info:
                return info
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            return {"pid": "?", "host": "?", "since": "?", "what": "another process"}
        time.sleep(0.05)


def describe(info: dict) -> str:
    return f"{info.get('what', 'another process')} (pid {info.get('pid')} on host {info.get('host')}, " \
           f"since {info.get('since')})"  # fmt: skip


def lock_file(path: Path, what: str, refusal: str) -> FolderLock:
    """Take the lock `path` (created 0600 if missing) or raise BadInput: "`refusal`: held by ...".
    `what` names this holder in the file for whoever is refused next."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BadInput(f"{refusal}: {describe(_read_holder(path))}") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file its last holder unlinked after we opened it
            _write_info(fd, what)
            return FolderLock(path, fd, [])
        os.close(fd)


def _write_info(fd: int, what: str) -> None:
    os.fchmod(fd, 0o600)
    os.ftruncate(fd, 0)
    info = {"pid": os.getpid(), "host": socket.gethostname(), "since": utc_now(), "what": what}
    os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)


def claim_new_folder(folder: Path, what: str) -> FolderLock | None:
    """Create `folder` (0700) with its lock held, atomically. None if the folder exists with
    something in it and nobody holds it (the caller says it exists); BadInput if a writer holds it."""
    parent = folder.parent
    created = [p for p in (*reversed(parent.parents), parent) if not p.exists()]
    create_private_dir(parent)
    staging = parent / f".{folder.name}.claim-{os.getpid()}"
    create_private_dir(staging)
    lock = lock_file(staging / LOCK_NAME, what, "unreachable")
    try:
        os.rename(staging, folder)  # fails on a folder that holds anything: exactly one run gets it
    except OSError:
        lock.release()
        staging.rmdir()
        info = holder(folder / LOCK_NAME)
        if info is not None:
            raise BadInput(f"{folder} is being recorded by {describe(info)}: a second run is refused") from None
        return None
    folder.chmod(0o700)
    lock.moved(folder / LOCK_NAME, [*created, folder])
    return lock


__all__ = ["LOCK_NAME", "FolderLock", "claim_new_folder", "describe", "holder", "lock_file"]
