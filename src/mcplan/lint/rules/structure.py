"""Structure (S): everything `mcplan validate` reports, so one lint run covers it all.

The rules are declared in `mcplan.workspace.structure`, beside the reading they come from.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext
from mcplan.workspace.references import check_references
from mcplan.workspace.structure import RULES

__all__ = ["RULES", "check"]


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from ctx.workspace.findings
    yield from check_references(ctx.workspace)
