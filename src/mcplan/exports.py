"""Open the exports mcplan reads after launch as the workspace reader opens workspace files.

A results file, a touch log or a folder of Parquet files may sit in the repository that CI
checks out, so a pull request can make any part of one a link (``results/x.csv ->
/proc/self/environ``) or a FIFO. Whatever reads an export (the row reader, pyarrow, DuckDB,
Spark) is handed only what :func:`export_file` or :func:`export_files` checked:

- a link is followed only to a file (or folder) inside the folder the link is in; this holds
  for the export itself, for every link on its path inside the working folder (the part of
  the path a checkout can hold: above it, the folders are the machine's), and, for a folder
  or a glob of Parquet files, for every entry: a link must stay inside the folder named;
- a FIFO, a device, a socket or a folder where a file is expected is refused without being
  read (opened non-blocking and checked once open, so that nothing can be swapped in);
- a file over its reader's size limit is refused, and no more than the limit is ever read.

The engines are handed the files checked, never a folder or a glob to expand themselves:
the file the user named with every link resolved, and each file of a folder by its place in
the folder (which names its partition), where a link, if it is one, was checked. What is
refused is a :class:`~mcplan.errors.UsageError` (exit 2) that names the file, never its
content.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mcplan.errors import UsageError
from mcplan.numbers import sizes
from mcplan.printable import printable

# A file DuckDB or Spark reads out of core, under a memory limit: a log of over a billion
# events fits, and a sparse file that claims terabytes does not.
ENGINE_MAX_BYTES = 64 * 1024**3
GLOB = re.compile(r"[*?\[]")
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO must not hang the open
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # the path was resolved and checked: no link
_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


@dataclass(frozen=True)
class ExportFile:
    """A file of an export that may be opened: ``path``, what an engine is handed (see the
    module docstring), ``display`` as the user named it (printable, for messages), its size
    and the device and inode it had when it was checked."""

    path: Path
    display: str
    size: int
    identity: tuple[int, int]


def is_remote(source: str) -> bool:
    """Whether ``source`` names a cluster's storage (``s3://…``), which Spark reads itself."""
    return bool(_REMOTE.match(source)) and not source.lower().startswith("file://")


def export_file(path: Path | str, *, max_bytes: int, display: str | None = None) -> ExportFile:
    """The export file ``path`` names, once checked (see the module docstring)."""
    shown = printable(str(path) if display is None else display)
    target = _resolved(Path(path), shown)
    with _open(target, shown, max_bytes) as (_, file):
        return file


@contextlib.contextmanager
def opened(
    path: Path | str, *, max_bytes: int, display: str | None = None
) -> Iterator[tuple[BinaryIO, ExportFile]]:
    """The export file ``path`` names, checked and open for reading (binary)."""
    shown = printable(str(path) if display is None else display)
    with (
        _open(_resolved(Path(path), shown), shown, max_bytes) as (fd, file),
        os.fdopen(fd, "rb", closefd=False) as handle,
    ):
        yield handle, file


@contextlib.contextmanager
def reopened(file: ExportFile) -> Iterator[BinaryIO]:
    """A file checked before, open again for a second reader; refused if it changed."""
    with _open(file.path, file.display, ENGINE_MAX_BYTES) as (fd, again):
        if (again.identity, again.size) != (file.identity, file.size):
            raise UsageError(f"{file.display}: the file changed while it was read")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            yield handle


def export_files(
    source: str, *, suffixes: tuple[str, ...], max_bytes: int = ENGINE_MAX_BYTES
) -> tuple[Path, list[ExportFile]]:
    """The files of a folder (each one under it, recursively) or of a glob whose names end
    with one of ``suffixes``, in a stable order, each checked; with the folder they are in
    (the glob's folder: its path up to the first part with ``*``, ``?`` or ``[``).

    Hidden entries and those starting with ``_`` (``_SUCCESS``, ``.part.crc``, a writer's
    ``_temporary``) are left out; links to folders are not followed (one that leads out of
    the folder is refused). Raises :class:`UsageError` when there is no such file.
    """
    parts = Path(source).parts
    glob_at = next((i for i, part in enumerate(parts) if GLOB.search(part)), None)
    base = Path(source) if glob_at is None else Path(*parts[:glob_at]) if glob_at else Path()
    pattern = None if glob_at is None else list(parts[glob_at:])
    shown_base = printable(str(base))
    root = _resolved(base, shown_base)
    if not root.is_dir():
        raise UsageError(f"{shown_base}: no such folder")
    files = []
    for found, relative in _walk(root, shown_base):
        if pattern is None:
            if not found.name.lower().endswith(suffixes):
                continue
        elif not _matches(pattern, relative.split("/")):
            continue
        display = printable(str(base / relative))
        target = _inside(found, root, display, "the folder")
        with _open(target, display, max_bytes) as (_, file):
            # By its place in the folder, which names its partition: a link there was checked.
            files.append(dataclasses.replace(file, path=found))
    return root, files


# -- checks -----------------------------------------------------------------------------------


def _resolved(path: Path, shown: str) -> Path:
    """``path`` with its links resolved, each checked: every link in the working folder, and
    the last part of the path wherever it is, must lead inside the folder it is in."""
    cwd = Path.cwd()
    absolute = path if path.is_absolute() else cwd / path
    here = Path(absolute.anchor)
    names = absolute.parts[1:]
    for i, name in enumerate(names):
        if name in ("", "."):
            continue
        if name == "..":
            here = here.parent
            continue
        step = here / name
        if not step.is_symlink():
            here = step
            continue
        judged = i == len(names) - 1 or here.is_relative_to(cwd)
        here = _inside(step, here, shown, "its folder") if judged else _target(step, shown)
    return here


def _target(link: Path, shown: str) -> Path:
    try:
        return link.resolve(strict=True)
    except (OSError, RuntimeError):
        raise UsageError(
            f"{shown}: a link that leads nowhere (or to itself): it is not opened"
        ) from None


def _inside(link: Path, folder: Path, shown: str, what: str) -> Path:
    """Where ``link`` leads, when that is inside ``folder``; refused otherwise."""
    target = _target(link, shown)
    if not target.is_relative_to(folder.resolve()):
        raise UsageError(
            f"{shown}: a link that leads out of {what}: it is not opened (name what it leads "
            "to, if it is yours)"
        )
    return target


@contextlib.contextmanager
def _open(target: Path, shown: str, max_bytes: int) -> Iterator[tuple[int, ExportFile]]:
    """An open descriptor of a regular file of at most ``max_bytes``, and what it is."""
    try:
        fd = os.open(target, os.O_RDONLY | _NONBLOCK | _NOFOLLOW)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot be opened: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{shown}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                f"{shown}: {_kind(info.st_mode)}, not a regular file: it is not read; export "
                "the data to a file"
            )
        if info.st_size > max_bytes:
            shown_size, limit = sizes(info.st_size, max_bytes)
            raise UsageError(f"{shown}: the file is {shown_size}; files over {limit} are refused")
        with contextlib.suppress(OSError):  # the descriptor blocks again, as a file's does
            os.set_blocking(fd, True)
        yield fd, ExportFile(target, shown, info.st_size, (info.st_dev, info.st_ino))
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device",
             stat.S_ISBLK: "a device"}  # fmt: skip
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def _walk(root: Path, shown: str) -> Iterator[tuple[Path, str]]:
    """Every file (or link, FIFO…) under ``root``, with its path from it, in a stable order;
    links to folders are not followed, and one that leads out of ``root`` is refused."""

    def unlisted(error: OSError) -> None:
        raise UsageError(f"{shown}: a folder that cannot be listed: {error.strerror or error}")

    for folder, folders, names in os.walk(root, onerror=unlisted):
        here = Path(folder)
        folders[:] = sorted(f for f in folders if not f.startswith((".", "_")))
        for name in folders:
            if (here / name).is_symlink():
                relative = (here / name).relative_to(root).as_posix()
                _inside(here / name, root, f"{shown}/{printable(relative)}", "the folder")
        for name in sorted(names):
            if not name.startswith((".", "_")):
                yield here / name, (here / name).relative_to(root).as_posix()


def _matches(pattern: list[str], parts: list[str]) -> bool:
    """Whether a path (its parts) matches a glob's parts, as DuckDB reads them: ``*``, ``?``
    and ``[…]`` within a part, ``**`` for any number of folders."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_matches(pattern[1:], parts[i:]) for i in range(len(parts) + 1))
    return (
        bool(parts)
        and fnmatch.fnmatchcase(parts[0], pattern[0])
        and _matches(pattern[1:], parts[1:])
    )


__all__ = [
    "ENGINE_MAX_BYTES",
    "ExportFile",
    "export_file",
    "export_files",
    "is_remote",
    "opened",
    "reopened",
]
