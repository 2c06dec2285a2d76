"""Structure (S): everything `mcplan validate` reports, so one lint run covers it all."""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext
from mcplan.rules import RULES
from mcplan.workspace.references import validate

CODES = tuple(code for code in RULES if code.startswith("S"))


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from validate(ctx.workspace)
