"""The rule families of `mcplan lint`, in one explicit table.

Each family module declares its `CODES` and a `check(context)` generator of findings; its
docstring is its user documentation. Rules report at their default level; the engine applies
the workspace's configuration (select, ignore, levels), suppressions and the baseline.
"""

from mcplan.lint.rules import compliance, consistency, limits, pressure, structure, templates

# In the order their findings are computed.
FAMILIES = (structure, templates, pressure, compliance, consistency, limits)
