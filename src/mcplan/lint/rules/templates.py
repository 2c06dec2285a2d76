"""Templates (T): syntax errors, undefined variables and sandbox refusals, at the template's
own file and line, found by rendering every campaign on every channel it uses.

The rules are declared in `mcplan.render.templates`, where templates are compiled and run.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext
from mcplan.render.templates import RULES

__all__ = ["RULES", "check"]


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = set()
    for rendering in ctx.renderings.values():
        for item in rendering.findings:
            key = (item.location, item.rule, item.message)
            if key not in seen:  # a broken channel template fails in every campaign
                seen.add(key)
                yield item
