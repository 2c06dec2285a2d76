"""Baselines: record today's findings once, then report only new ones.

Teams adopt the linter gradually: `mcplan lint --baseline lint-baseline.json` writes the file
the first time, and from then on leaves out every finding it lists. A finding is matched by
its rule, its file and the content of its line (not the line number), so adding lines above
it does not bring it back; each recorded finding excuses one finding, no more.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.files import write_atomic
from mcplan.findings import Finding

VERSION = 1


class SourceLines:
    """Lines of workspace files, read once each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str:
        if file not in self._cache:
            try:
                self._cache[file] = (self.root / file).read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError, ValueError):
                self._cache[file] = []
        lines = self._cache[file]
        return lines[number - 1] if 0 < number <= len(lines) else ""


def key(item: Finding, lines: SourceLines) -> tuple[str, str, str]:
    content = " ".join(lines.line(item.location.file, item.location.line).split())
    return (item.rule, item.location.file, content or item.message)


def write(path: Path, findings: Sequence[Finding], lines: SourceLines) -> None:
    entries = [
        {"rule": r, "file": f, "content": c} for r, f, c in sorted(key(i, lines) for i in findings)
    ]
    data = {"version": VERSION, "tool": "mcplan", "findings": entries}
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
        entries = data["findings"]
        return Counter((e["rule"], e["file"], e["content"]) for e in entries)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not an mcplan baseline: {exc}") from None


def apply(
    findings: Sequence[Finding], known: Counter[tuple[str, str, str]], lines: SourceLines
) -> tuple[list[Finding], int]:
    """The findings the baseline does not excuse, and how many it excused."""
    remaining = Counter(known)
    new = []
    for item in findings:
        k = key(item, lines)
        if remaining[k] > 0:
            remaining[k] -= 1
        else:
            new.append(item)
    return new, len(findings) - len(new)
