"""Findings as text lines (``file:line:col: level CODE message``) or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mcplan.findings import Finding, Level


def as_text(findings: Sequence[Finding], *, hints: bool = True) -> str:
    lines = []
    for finding in findings:
        lines.append(str(finding))
        if hints and finding.hint:
            lines.append(f"  hint: {finding.hint}")
    return "\n".join(lines)


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False)


def summary(findings: Sequence[Finding]) -> str:
    """``2 errors and 1 warning in 2 files`` (empty when there are none)."""
    if not findings:
        return ""
    counts = []
    for level in (Level.ERROR, Level.WARNING, Level.INFO):
        n = sum(1 for f in findings if f.level is level)
        if n:
            counts.append(f"{n} {level}{'' if n == 1 else 's'}")
    files = len({f.location.file for f in findings})
    return f"{' and '.join(counts)} in {files} file{'' if files == 1 else 's'}"


def exit_code(findings: Sequence[Finding]) -> int:
    """0 when there is no error, 1 when there is one, 2 when a file could not be read."""
    if any(f.unreadable for f in findings):
        return 2
    return 1 if any(f.level >= Level.ERROR for f in findings) else 0
