"""Reading workspace files: bounded in size, UTF-8 only, every problem a located finding."""

from __future__ import annotations

import re
from pathlib import Path

from mcplan.errors import McplanError
from mcplan.findings import Finding, Location, sizes
from mcplan.workspace.structure import ENCODING, FILE_SIZE, SYNTAX

# A workspace file is a persona, a campaign or a channel: a few kilobytes. The cap keeps a
# hostile or mistaken file (a 50 MB export committed by accident) from eating memory.
MAX_FILE_BYTES = 1024 * 1024


class UnreadableFile(McplanError):
    """A file that cannot be read at all; carries the finding that says why and where."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def read_text(path: Path, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing huge files and bad encodings with a located finding."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            shown, limit = sizes(size, max_bytes)
            raise UnreadableFile(
                FILE_SIZE(
                    Location(display),
                    f"file is {shown}, more than the {limit} allowed for a workspace file",
                )
            )
        raw = path.read_bytes()
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        raise UnreadableFile(SYNTAX(Location(display), message, hint="")) from exc
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


# The line breaks PyYAML counts, so that finding line numbers point at the right source line.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class SourceLines:
    """The lines of the workspace's files as findings count them, each file read once.

    Only files in the workspace and under the size cap are read; a bundled channel file, or
    one that cannot be read, has no lines. Bytes that are not UTF-8 are replaced, so that an
    S102 finding can still show the line around the bad byte.
    """

    def __init__(self, root: Path, prefix: str = "") -> None:
        self.root = root
        self.prefix = prefix  # before the names of files in the workspace (see Workspace)
        self._cache: dict[str, list[str] | None] = {}

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
        path = self.root / file.removeprefix(self.prefix)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:  # S103 already says it is too big to read
                return None
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            return None
        return _LINE_BREAK.split(text)
