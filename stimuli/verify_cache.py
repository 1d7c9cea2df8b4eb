"""What verify learnt about a clip, kept so an unchanged clip is not decoded again on every session.

An entry is keyed by the clip's resolved path and holds its size, mtime_ns and the manifest's sha256 (if the
manifest gives one) at the time it was decoded; any of them differing means the clip is decoded again. The
file is ``$XDG_CACHE_HOME/casme-elicitation/clip-verify.json`` (``~/.cache/...`` without XDG_CACHE_HOME),
written atomically (a temporary file renamed over it). A cache that cannot be read is ignored and rebuilt;
one that cannot be written costs a decode next time, nothing else. Entries of files that are gone are
dropped when the cache is written.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VERSION = 1
APP = "casme-elicitation"


def default_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP / "clip-verify.json"


class VerifyCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.entries: dict[str, dict[str, Any]] = self._load()
        self.changed = False

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("clip verification cache %s is unreadable (%s): rebuilding it", self.path, exc)
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("clips"), dict):
            log.warning("clip verification cache %s is not one this version wrote: rebuilding it", self.path)
            return {}
        return {k: v for k, v in data["clips"].items() if isinstance(v, dict)}

    @staticmethod
    def _stamp(path: Path, manifest_sha256: str | None) -> dict[str, Any]:
        st = path.stat()
        return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "manifest_sha256": manifest_sha256}

    def get(self, path: Path, manifest_sha256: str | None = None) -> dict[str, Any] | None:
        """The facts stored for this very file, or None if it changed (or was never verified)."""
        entry = self.entries.get(str(Path(path).resolve()))
        if entry is None:
            return None
        stamp = self._stamp(path, manifest_sha256)
        if any(entry.get(k) != v for k, v in stamp.items()) or not isinstance(entry.get("facts"), dict):
            return None
        return entry["facts"]

    def put(self, path: Path, facts: dict[str, Any], manifest_sha256: str | None = None) -> None:
        self.entries[str(Path(path).resolve())] = {**self._stamp(path, manifest_sha256), "facts": facts}
        self.changed = True

    def save(self) -> None:
        """Write atomically; a failure is logged, never raised (the cache is only a shortcut)."""
        if not self.changed:
            return
        self.entries = {k: v for k, v in self.entries.items() if Path(k).is_file()}  # clips gone: forgotten
        text = json.dumps({"version": VERSION, "clips": self.entries}, indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".clip-verify.", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("clip verification cache %s not written: %s", self.path, exc)
            return
        self.changed = False
