"""What several findings formats share."""

from __future__ import annotations

from mcplan.findings import Finding


def with_hint(finding: Finding) -> str:
    """The message, and the hint after a dash."""
    return f"{finding.message} — {finding.hint}" if finding.hint else finding.message


def with_related(finding: Finding) -> str:
    """The message, the hint, and a line per related location (for formats without a place
    for them, such as GitHub annotations)."""
    lines = [with_hint(finding)]
    lines += [f"{r.location}: {r.label}" for r in finding.related]
    return "\n".join(lines)
