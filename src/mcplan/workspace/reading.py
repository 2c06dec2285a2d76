"""Reading workspace files: bounded in size, UTF-8 only, every problem a located finding."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from mcplan import numbers
from mcplan.errors import McplanError, UsageError
from mcplan.findings import Finding, Location
from mcplan.numbers import sizes
from mcplan.printable import printable
from mcplan.workspace.structure import ENCODING, FILE_SIZE, REFUSED_FILE

# A workspace file is a persona, a campaign or a channel: a few kilobytes. The cap keeps a
# hostile or mistaken file (a 50 MB export committed by accident) from eating memory.
MAX_FILE_BYTES = 1024 * 1024


class UnreadableFile(McplanError):
    """A file that cannot be read at all; carries the finding that says why and where."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


@dataclass(frozen=True)
class WorkspaceLimits:
    """What one workspace may hold in all, far above any real one (10,000 campaigns and their
    personas are 11,000 files, 9 MB and 380,000 values), so that a pull request of many large
    files cannot make a run take more than about a gigabyte (see docs/security.md)."""

    # files and folders under personas/, campaigns/, journeys/ and channel_rules/
    files: int = 20_000
    bytes: int = 64 * 1024**2  # read from every file
    values: int = 500_000  # in every YAML file, each alias counted as what it repeats


LIMITS = WorkspaceLimits()


class WorkspaceTooLarge(UsageError):
    """The workspace holds more than :class:`WorkspaceLimits` allows: it is not checked at
    all, rather than in part."""


class Budget:
    """What is left of the :class:`WorkspaceLimits` while one workspace is read."""

    def __init__(self, limits: WorkspaceLimits) -> None:
        self.limits = limits
        self.entries = self.bytes = self.values = 0

    def listed(self, folder: str) -> None:
        """One more entry seen in ``folder`` (files and folders alike: each costs a look)."""
        self.entries += 1
        if self.entries > self.limits.files:
            what = f"{numbers.count(self.limits.files)} files and folders under personas/, "
            self._refuse(
                what + "campaigns/, journeys/ and channel_rules/",
                f"{folder} holds the first one not read",
            )

    def read(self, display: str, size: int) -> None:
        """``size`` more bytes read, from ``display``."""
        self.bytes += size
        if self.bytes > self.limits.bytes:
            limit = sizes(self.limits.bytes)[0]
            self._refuse(f"{limit} in its files", f"{display} is the first not read")

    def parsed(self, display: str, values: int) -> None:
        """``values`` more values read, from ``display``."""
        self.values += values
        if self.values > self.limits.values:
            what = f"{numbers.count(self.limits.values)} values in its files"
            self._refuse(what, f"{display} is the first not read")

    def _refuse(self, what: str, where: str) -> None:
        raise WorkspaceTooLarge(
            f"the workspace is too large to check: it holds more than {what} "
            f"({printable(where)}); nothing is checked. Split it into several workspaces, or "
            "remove what is not a persona, a campaign or a channel"
        )


def read_bytes(
    path: Path,
    display: str,
    root: Path | None,
    max_bytes: int = MAX_FILE_BYTES,
    budget: Budget | None = None,
) -> bytes:
    """The bytes of a workspace file, at most ``max_bytes`` of them.

    Files come from pull requests and CI has secrets, so only a regular file inside ``root``
    (anywhere, when ``root`` is None: a file the user names) is opened: a link is followed
    only when it leads to one in the workspace, and a FIFO, a device, a socket or a folder
    is refused without being read (it is opened non-blocking, and checked once open, so
    that it cannot be swapped in between). Raises
    :class:`UnreadableFile`: S108 for what is refused, S103 for what is too large.
    """
    try:
        target = _inside(path, root) if root is not None else path.resolve(strict=True)
        fd = os.open(target, os.O_RDONLY | _NONBLOCK | _NOFOLLOW)
    except _Refused as refused:
        raise UnreadableFile(REFUSED_FILE(Location(display), str(refused))) from None
    except OSError as exc:
        message = f"it cannot be opened: {exc.strerror or exc}"
        raise UnreadableFile(REFUSED_FILE(Location(display), message)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        message = f"{_kind(info.st_mode)}, not a regular file: it is not read"
        raise UnreadableFile(REFUSED_FILE(Location(display), message))
    size = info.st_size
    with os.fdopen(fd, "rb") as handle:
        raw = b"" if size > max_bytes else handle.read(max_bytes + 1)
    if budget is not None:
        budget.read(display, len(raw))
    if size > max_bytes or len(raw) > max_bytes:
        shown, limit = sizes(max(size, len(raw)), max_bytes)
        if len(raw) > size:  # a file that grows, or says 0 bytes (/proc): at least this
            shown = f"over {limit}"
        raise UnreadableFile(
            FILE_SIZE(
                Location(display),
                f"file is {shown}, more than the {limit} allowed for a workspace file",
            )
        )
    return raw


def read_text(
    path: Path,
    display: str,
    root: Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    budget: Budget | None = None,
) -> str:
    """Read a workspace file as UTF-8 text (see :func:`read_bytes`), refusing bad encodings
    with a located finding."""
    raw = read_bytes(path, display, root, max_bytes, budget)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise UnreadableFile(
            ENCODING(
                Location(display, line, column),
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            )
        ) from exc


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO must not hang the open
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # the last part of the path was checked: no link


class _Refused(Exception):
    """Why an entry is not opened."""


def _inside(path: Path, root: Path) -> Path:
    """``path`` with its links resolved, when that is inside ``root``; _Refused otherwise."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise _Refused("a link that leads nowhere (or to itself): it is not opened") from None
    if not target.is_relative_to(root.resolve()):
        raise _Refused("a link that leads out of the workspace: it is not opened")
    return target


def _kind(mode: int) -> str:
    kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket",
             stat.S_ISCHR: "a device", stat.S_ISBLK: "a device"}  # fmt: skip
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


# The line breaks PyYAML counts, so that finding line numbers point at the right source line.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class SourceLines:
    """The lines of the workspace's files as findings count them, each file read once.

    The loader hands over the text of every file it read (:meth:`keep`); any other file is
    read through :func:`read_bytes`, so only regular files in the workspace and under the size
    cap are; a bundled channel file, or one that is refused, has no lines (no output quotes
    it). Bytes that are not UTF-8 are replaced, so that an S102 finding can still show the
    line around the bad byte.
    """

    def __init__(self, root: Path, prefix: str = "") -> None:
        self.root = root
        self.prefix = prefix  # before the names of files in the workspace (see Workspace)
        self._cache: dict[str, list[str] | None] = {}

    def keep(self, file: str, text: str | None) -> None:
        """The text of ``file`` as read (None: it was refused, and has no lines)."""
        self._cache[file] = None if text is None else _LINE_BREAK.split(text)

    def lines(self, file: str) -> list[str] | None:
        if file not in self._cache:
            self._cache[file] = self._read(file)
        return self._cache[file]

    def line(self, file: str, number: int) -> str:
        lines = self.lines(file) or []
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def _read(self, file: str) -> list[str] | None:
        if file.startswith("<"):  # <bundled>/sms.yaml
            return None
        try:
            raw = read_bytes(self.root / file.removeprefix(self.prefix), file, self.root)
        except UnreadableFile:
            return None
        return _LINE_BREAK.split(raw.decode("utf-8-sig", errors="replace"))
