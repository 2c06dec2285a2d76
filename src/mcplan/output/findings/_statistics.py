"""`mcplan lint --statistics`: how many findings of each rule, as `ruff check --statistics`
has them (the most frequent first, then by code), in text or JSON."""

from __future__ import annotations

from collections import Counter

from mcplan import numbers
from mcplan.findings import Finding, Level
from mcplan.json_text import json_text
from mcplan.lint.registry import RULES


def counted(findings: list[Finding]) -> list[tuple[str, int, Level]]:
    """(code, findings, highest level) for every rule that found something, the most
    frequent first, then by code."""
    counts = Counter(f.rule for f in findings)
    levels: dict[str, Level] = {}
    for finding in findings:
        levels[finding.rule] = max(levels.get(finding.rule, finding.level), finding.level)
    return [(code, n, levels[code]) for code, n in sorted(counts.items(), key=_order)]


def _order(item: tuple[str, int]) -> tuple[int, str]:
    code, n = item
    return (-n, code)


def _name(code: str) -> str:
    rule = RULES.get(code)
    return rule.name if rule else ""


def text(findings: list[Finding]) -> str:
    """One line per rule, its columns between tabs as ruff has them (`cut -f2` gives the
    codes): count (aligned), code, level, name."""
    rows = [
        (numbers.quantity(n), code, str(level), _name(code)) for code, n, level in counted(findings)
    ]
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        f"{n:>{widths[0]}}\t{code:<{widths[1]}}\t{level:<{widths[2]}}\t{name}".rstrip() + "\n"
        for n, code, level, name in rows
    )


def as_json(findings: list[Finding]) -> str:
    """A list of ``{"code", "name", "count", "level"}``, in the same order."""
    rows = [
        {"code": code, "name": _name(code), "count": n, "level": str(level)}
        for code, n, level in counted(findings)
    ]
    return json_text(rows)
