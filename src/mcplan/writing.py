"""Writing files safely: a reader never sees half a file, a failed write leaves no trace, and
no link a pull request commits takes a write anywhere else.

A pull request can commit a link wherever the repository is: under the current folder (CI
runs from the checkout) and in the workspace. There, an output's folders are opened one at a
time without following a link, and a folder that is a link is refused (:class:`RefusedPath`,
naming it). Above them, the path is the user's own (``/tmp`` is a link on macOS) and the
system resolves it. The file itself is never followed, wherever it is: a link in its place
is replaced. Where the system has folder descriptors, every step is made through them, so
that no folder can be swapped for a link between a check and a write; elsewhere (Windows)
the same checks are made on the paths.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from mcplan.errors import UsageError

_DIR_FD = (
    hasattr(os, "O_DIRECTORY")
    and {os.open, os.stat, os.mkdir, os.rename, os.unlink} <= os.supports_dir_fd
    and os.listdir in os.supports_fd
)
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0)
_NEW |= getattr(os, "O_CLOEXEC", 0)
# A link, or a Windows junction, which lstat does not show as a link (stat's
# IO_REPARSE_TAG_SYMLINK and IO_REPARSE_TAG_MOUNT_POINT).
_LINK_TAGS = {0xA000000C, 0xA0000003}
# What a file mcplan writes may be: read and written, never run, never setuid, setgid or
# sticky, whatever the file it replaces was; the umask takes its share on creation.
_FILE_MODE = 0o666


class RefusedPath(OSError):
    """A place mcplan does not write through: a link, or something that is not a folder.
    ``strerror`` says which part of the path, and why."""

    def __init__(self, code: int, path: Path | str, why: str) -> None:
        from mcplan.printable import printable  # here: the command line imports this module

        super().__init__(code, f"{printable(str(path))} {why}")


class Folder:
    """A folder reached without following a link where a pull request could have put one;
    files are written into it by name."""

    def __init__(self, shown: Path, real: Path, fd: int | None) -> None:
        self.shown = shown  # as the user named it, for messages
        self.real = real  # where it is
        self.fd = fd  # open on it (None where the system has no folder descriptors)

    def _at(self, name: str) -> str:
        return name if self.fd is not None else str(self.real / name)

    def names(self) -> list[str]:
        """What the folder holds."""
        return os.listdir(self.fd if self.fd is not None else self.real)

    def holds(self, name: str) -> bool:
        """Whether ``name`` is there, as anything (a link that leads nowhere too)."""
        try:
            os.stat(self._at(name), dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def write(self, name: str, data: str | bytes) -> None:
        """Write ``data`` (text as UTF-8) to the file ``name`` in one step.

        The data goes to a new temporary file beside it, which then replaces it: a link in its
        place is replaced, never followed. The file gets the read and write permissions of the
        regular file it replaces, else those of a new file, less what the umask takes: never
        execute, setuid, setgid or sticky bits.
        """
        if name in ("", ".", "..") or any(sep in name for sep in ("/", os.sep)):
            raise RefusedPath(errno.EINVAL, name, "is not a file name")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        temporary, fd = self._temporary(name, self._mode(name))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(self._at(temporary), self._at(name), src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(self._at(temporary), dir_fd=self.fd)
            raise

    def _mode(self, name: str) -> int:
        try:
            info = os.stat(self._at(name), dir_fd=self.fd, follow_symlinks=False)
        except OSError:
            return _FILE_MODE
        return stat.S_IMODE(info.st_mode) & _FILE_MODE if stat.S_ISREG(info.st_mode) else _FILE_MODE

    def _temporary(self, name: str, mode: int) -> tuple[str, int]:
        for _ in range(100):
            temporary = f".{name[:100]}.{os.urandom(4).hex()}.tmp"
            try:
                return temporary, os.open(self._at(temporary), _NEW, mode, dir_fd=self.fd)
            except FileExistsError:
                continue
        raise FileExistsError(errno.EEXIST, f"no temporary file name is free in {self.shown}")


@contextmanager
def open_folder(path: Path, *, root: Path | None = None, create: bool = False) -> Iterator[Folder]:
    """The folder ``path``, reached without following a link below the current folder or in
    ``root`` (the workspace), and created (with the folders above it) when ``create``.

    Raises :class:`RefusedPath` for a part of the path that is a link there, or not a folder,
    and OSError for what the system refuses.
    """
    guarded = [Path.cwd()] + ([Path(os.path.realpath(root))] if root is not None else [])
    if path.is_absolute():
        shown = real = Path(path.anchor)
        parts = path.parts[1:]
    else:
        shown, real, parts = Path(), guarded[0], path.parts
    fd = os.open(real if path.is_absolute() else ".", _FOLDER) if _DIR_FD else None
    try:
        for part in parts:
            shown /= part
            follow = False
            if part == "..":
                real = real.parent
            elif any((real / part).is_relative_to(folder) for folder in guarded):
                _check_folder(fd, real / part, part, shown, create=create)
                real /= part
            else:  # the user's own path: followed as the system does
                if create and not os.path.lexists(real / part):
                    _make(fd, real / part, part)
                real, follow = Path(os.path.realpath(real / part)), True
            fd, above = _step(fd, part, follow=follow), fd
            if above is not None:
                os.close(above)
        yield Folder(path, real, fd)
    finally:
        if fd is not None:
            os.close(fd)


def _check_folder(fd: int | None, real: Path, part: str, shown: Path, *, create: bool) -> None:
    """Refuse ``part`` of the path when it is a link or not a folder; make it when missing."""
    at = part if fd is not None else str(real)
    try:
        info = os.stat(at, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        if not create:
            raise
        _make(fd, real, part)
        info = os.stat(at, dir_fd=fd, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", None) in _LINK_TAGS:
        raise RefusedPath(
            errno.ELOOP,
            shown,
            "is a link, and mcplan does not write through a link below the current folder or "
            "in the workspace: name the folder it leads to",
        )
    if not stat.S_ISDIR(info.st_mode):
        raise RefusedPath(errno.ENOTDIR, shown, "is not a folder")


def _make(fd: int | None, real: Path, part: str) -> None:
    with suppress(FileExistsError):
        os.mkdir(part if fd is not None else real, dir_fd=fd)


def _step(fd: int | None, part: str, *, follow: bool) -> int | None:
    """A descriptor of the folder ``part`` in ``fd``: unless ``follow``, never through a link,
    so that what was checked as a folder cannot have been swapped for one since."""
    if fd is None:
        return None
    return os.open(part, _FOLDER | (0 if follow else _NOFOLLOW), dir_fd=fd)


def write_atomic(
    target: Path, data: str | bytes, *, root: Path | None = None, create: bool = False
) -> None:
    """Write ``data`` (text as UTF-8 with \\n line ends) to ``target`` in one step, through
    :func:`open_folder` (``root``: the workspace; ``create``: make its folder when missing)
    and :meth:`Folder.write`.

    Raises OSError (:class:`RefusedPath` for a link on the way) when it cannot be written.
    """
    with open_folder(target.parent, root=root, create=create) as folder:
        folder.write(target.name, data)


def write_file(
    target: Path, data: str | bytes, *, force: bool = False, root: Path | None = None
) -> None:
    """Write one output file the user named, in its folder, made when missing
    (`--out reports/preview.html`): never over anything already there (a file, a link)
    unless ``force``; see :func:`write_atomic`.

    Raises :class:`UsageError` when the file exists, or cannot be written.
    """
    try:
        with open_folder(target.parent, root=root, create=True) as folder:
            if not force and folder.holds(target.name):
                raise UsageError(f"{target} already exists; add --force to overwrite it")
            folder.write(target.name, data)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
