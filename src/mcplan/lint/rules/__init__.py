"""The rule families of `mcplan lint`, in one explicit table.

Each family module declares its `CODES` and a `check(context)` generator of findings; its
docstring is its user documentation. Rules report at their default level; the engine applies
the workspace's configuration (select, ignore, levels), suppressions and the baseline.
"""

from __future__ import annotations

from types import ModuleType


def families() -> tuple[ModuleType, ...]:
    """Every family, in the order its findings are computed."""
    from mcplan.lint.rules import compliance, consistency, limits, pressure, structure, templates

    return (structure, templates, pressure, compliance, consistency, limits)
