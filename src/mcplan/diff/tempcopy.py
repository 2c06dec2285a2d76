"""A revision's files written into a temporary folder, bounded: each content streamed from one
``git cat-file --batch``, a file over the size the loader reads written as a sparse file of
its size (so that the loader reports it as too big, S103, without a byte of it being read);
only folders and regular files are made there, so no link can lead out."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mcplan.diff.gitcommand import streamed
from mcplan.diff.listing import CHUNK, Blob, Revision
from mcplan.errors import UsageError
from mcplan.printable import excerpt, printable
from mcplan.workspace.reading import MAX_FILE_BYTES
from mcplan.workspace.tomlsource import SettingsFile, read_settings


def write(rev: Revision, root: Path, files: dict[str, Blob]) -> None:
    """Write ``files`` into ``root``: the content of each, streamed from one ``cat-file
    --batch``, or for one over MAX_FILE_BYTES a sparse file of its size."""
    by_hash = _too_big_written(rev, root, files)
    if not by_hash:
        return
    with streamed(rev.repository, "cat-file", "--batch", stdin=True) as (process, _):
        batch = _Batch(rev, root, process)
        for hash_, paths in by_hash.items():
            batch.copy(hash_, files[paths[0]].size, paths)
        batch.close()


def _too_big_written(rev: Revision, root: Path, files: dict[str, Blob]) -> dict[str, list[str]]:
    """Each of ``files`` over MAX_FILE_BYTES written as a sparse file; the paths of the others
    by their content's hash."""
    by_hash: dict[str, list[str]] = {}
    for inside, blob in files.items():
        try:
            if blob.size > MAX_FILE_BYTES:
                with _create(root, inside) as file:
                    _sparse(file, blob.size)
            else:
                by_hash.setdefault(blob.hash, []).append(inside)
        except OSError as error:
            _unwritable(rev, inside, error)
    return by_hash


@dataclass(frozen=True)
class _Batch:
    """One ``git cat-file --batch`` of ``rev``'s repository, asked for one content after
    another, each written into ``root``."""

    rev: Revision
    root: Path
    process: subprocess.Popen[bytes]

    @property
    def _stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def _stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def copy(self, hash_: str, size: int, paths: list[str]) -> None:
        """The content ``hash_``, ``size`` bytes, written at each of ``paths``."""
        self._ask(hash_, size, paths[0])
        try:
            with _create(self.root, paths[0]) as file:
                self._content(file, size)
            self._stdout.read(1)  # the newline after each content
            first = self.root.joinpath(*paths[0].split("/"))
            for inside in paths[1:]:
                with _create(self.root, inside) as file, first.open("rb") as content:
                    shutil.copyfileobj(content, file)
        except OSError as error:
            _unwritable(self.rev, paths[0], error)

    def _ask(self, hash_: str, size: int, inside: str) -> None:
        """Ask git for the content ``hash_``; UsageError when it does not have that blob."""
        self._stdin.write(f"{hash_}\n".encode())
        self._stdin.flush()
        header = self._stdout.readline(200).split()
        if len(header) != 3 or header[1] != b"blob" or header[2] != str(size).encode():
            raise UsageError(
                f"cannot read '{excerpt(self.rev.prefix + inside, 200)}' at "
                f"{printable(self.rev.name)}: git does not have its content (a shallow or "
                "partial clone: fetch the revision first)"
            )

    def _content(self, file: IO[bytes], size: int) -> None:
        """The ``size`` bytes of the content git answers, into ``file``."""
        left = size
        while left:
            chunk = self._stdout.read(min(left, CHUNK))
            if not chunk:
                raise UsageError(f"cannot read {printable(self.rev.name)}: git stopped")
            file.write(chunk)
            left -= len(chunk)

    def close(self) -> None:
        """No more to ask: git ends."""
        self._stdin.close()
        self.process.wait()


def _create(root: Path, inside: str) -> IO[bytes]:
    """A new file at ``inside`` of ``root``, its folders made (only folders and regular files
    are ever made there, so no link can lead out)."""
    target = root.joinpath(*inside.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.fdopen(os.open(target, flags, 0o600), "wb")


def _sparse(file: IO[bytes], size: int) -> None:
    """Make ``file`` ``size`` bytes long without writing them (over what the file system
    allows, one byte over what the loader reads: it is too big all the same)."""
    try:
        file.truncate(size)
    except OSError:
        file.truncate(MAX_FILE_BYTES + 1)


def _unwritable(rev: Revision, inside: str, error: OSError) -> None:
    raise UsageError(
        f"cannot copy '{excerpt(rev.prefix + inside, 200)}' of {printable(rev.name)} into a "
        f"temporary folder: {error.strerror or error}"
    ) from None


def layout(root: Path) -> str | None:
    """The e-mail layout the settings written in ``root`` name, as the loader would read it
    (a path inside the workspace), or None."""
    found = read_settings(root, [])
    if not isinstance(found, SettingsFile):
        return None
    email = found.data.get("email")
    layout = email.get("layout") if isinstance(email, dict) else None
    if not isinstance(layout, str) or not layout.endswith(".mjml") or "\\" in layout:
        return None
    parts = layout.split("/")
    return layout if all(part not in ("", ".", "..") for part in parts) else None
