"""One line per finding: `file:line:col: level CODE message`."""

from __future__ import annotations

from mcplan.lint.engine import LintResult


def emit(result: LintResult) -> str:
    return "".join(f"{finding}\n" for finding in result.findings)
