"""Uploaded import files, kept on the server between the preview and the commit, keyed by
their SHA-256: the commit imports exactly the bytes that were previewed, never bytes the
browser sends again. Files live in a private folder (0700) and are removed after a commit or
once they are older than `max_age`."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

_DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_AGE_SECONDS = 2 * 3600
"""As long as a session may stay idle: a preview older than that is not committed."""


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / f"tracker-uploads-{os.getuid()}"


class Uploads:
    """A folder of uploaded files named by their SHA-256."""

    def __init__(self, folder: Path, max_age: float = MAX_AGE_SECONDS) -> None:
        self.folder = folder
        self.max_age = max_age

    def _path(self, digest: str) -> Path | None:
        return self.folder / digest if _DIGEST.fullmatch(digest) else None

    def put(self, data: bytes) -> str:
        """Keep the bytes; their SHA-256 (hex) names them. Old files are pruned first."""
        self._private_folder()
        self.prune()
        digest = hashlib.sha256(data).hexdigest()
        target = self.folder / digest
        partial = self.folder / f"{digest}.{os.getpid()}.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        partial.replace(target)
        return digest

    def _private_folder(self) -> None:
        """Make the folder, and refuse one that is a link, someone else's, or open to others
        (the default is in the shared temporary folder)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = self.folder.lstat()
        if stat.S_ISLNK(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
            raise PermissionError(
                f"the upload folder {self.folder} must be a folder of this user's with mode 0700"
            )

    def get(self, digest: str) -> bytes | None:
        """The bytes kept under this digest, or None (unknown, expired, or not matching)."""
        path = self._path(digest)
        if path is None or not path.is_file():
            return None
        if time.time() - path.stat().st_mtime > self.max_age:
            return None
        data = path.read_bytes()
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def drop(self, digest: str) -> None:
        path = self._path(digest)
        if path is not None:
            path.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove files older than `max_age`."""
        limit = time.time() - self.max_age
        for path in self.folder.glob("*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue


__all__ = ["MAX_AGE_SECONDS", "Uploads", "default_folder"]
