"""Templates (T): syntax errors, undefined variables and sandbox refusals, at the template's
own file and line, found by rendering every campaign on every channel it uses.

The rules are declared in `mcplan.render.templates`, where templates are compiled and run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext
from mcplan.render.templates import RULES

__all__ = ["RULES", "check_campaign", "merge"]


def check_campaign(ctx: LintContext, campaign: str) -> Iterator[Finding]:
    yield from ctx.rendering(campaign).findings


def merge(findings: Iterable[Finding]) -> Iterator[Finding]:
    """The first of each: a broken channel template fails in every campaign."""
    seen = set()
    for item in findings:
        key = (item.location, item.rule, item.message)
        if key not in seen:
            seen.add(key)
            yield item
