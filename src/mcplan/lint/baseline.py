"""Baselines: record today's findings once, then report only new ones.

Teams adopt the linter gradually: `mcplan lint --baseline lint-baseline.json` writes the file
the first time, and from then on leaves out every finding it lists. A finding is matched by
its identity's key (:class:`mcplan.findings.Identity`: its rule, its file and the content of
its line, not the line number), so adding lines above it does not bring it back; each
recorded finding excuses one finding, no more.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.exports import opened
from mcplan.findings import Finding
from mcplan.json_text import json_text
from mcplan.workspace.reading import SourceLines
from mcplan.writing import write_atomic

VERSION = 1

Key = tuple[str, str, str]  # Identity.key


def write(path: Path, findings: Sequence[Finding], lines: SourceLines) -> None:
    entries = [
        {"rule": r, "file": f, "content": c}
        for r, f, c in sorted(i.identity(lines).key for i in findings)
    ]
    data = {"version": VERSION, "tool": "mcplan", "findings": entries}
    try:
        write_atomic(path, json_text(data), root=lines.root)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


MAX_BYTES = 64 * 1024**2  # a baseline of every finding of a very large workspace


def read(path: Path) -> Counter[Key]:
    """The findings a baseline file lists; UsageError for what is not one (a FIFO, a device,
    a link out of its folder, a file over 64 MB, JSON nested too deep to read).

    A baseline is committed beside the workspace, so it is opened as an export is
    (:mod:`mcplan.exports`): a pull request cannot make it a link to another file.
    """
    with opened(path, max_bytes=MAX_BYTES) as (handle, _):
        raw = handle.read(MAX_BYTES + 1)
    try:
        data = json.loads(raw.decode("utf-8"))
        entries = data["findings"]
        return Counter((str(e["rule"]), str(e["file"]), str(e["content"])) for e in entries)
    except RecursionError:
        raise UsageError(f"{path} is not an mcplan baseline: JSON nested too deep") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not an mcplan baseline: {exc}") from None


def apply(
    findings: Sequence[Finding], known: Counter[Key], lines: SourceLines
) -> tuple[list[Finding], int]:
    """The findings the baseline does not excuse, and how many it excused."""
    remaining = Counter(known)
    new = []
    for item in findings:
        k = item.identity(lines).key
        if remaining[k] > 0:
            remaining[k] -= 1
        else:
            new.append(item)
    return new, len(findings) - len(new)
