"""A JSON list of findings: rule, level, file, line, column, end_line, end_column (1-based,
paths relative to the workspace), message, hint, related locations and subject."""

from __future__ import annotations

from mcplan.json_text import json_text
from mcplan.lint.engine import LintResult


def emit(result: LintResult) -> str:
    return json_text([f.to_dict() for f in result.findings])
