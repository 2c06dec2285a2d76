"""A JSON list of findings: rule, level, file, line, column, end_line, end_column (1-based,
paths relative to the workspace), message, hint, related locations and subject."""

from __future__ import annotations

import json

from mcplan.lint.engine import LintResult


def emit(result: LintResult) -> str:
    return json.dumps([f.to_dict() for f in result.findings], indent=2, ensure_ascii=False) + "\n"
