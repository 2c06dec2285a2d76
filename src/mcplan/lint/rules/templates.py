"""Templates (T): syntax errors, undefined variables and sandbox refusals, at the template's
own file and line, found by rendering every campaign on every channel it uses."""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext

CODES = ("T101", "T102", "T103", "T104")


def check(ctx: LintContext) -> Iterator[Finding]:
    seen = set()
    for rendering in ctx.renderings.values():
        for item in rendering.findings:
            if item not in seen:  # a broken channel template fails in every campaign
                seen.add(item)
                yield item
