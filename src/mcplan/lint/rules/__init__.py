"""The rule families `mcplan lint` runs, in one explicit table.

Each module has the `RULES` it checks and generators of findings: `check(context)` for what
involves the whole workspace, `check_campaign(context, campaign)` for what one campaign alone
decides (and `merge` when the campaigns' findings need one more pass). Rules report at their
default level; the engine applies the workspace's configuration (select,
ignore, levels), suppressions and the baseline. Where each rule is declared and documented:
`mcplan.lint.registry`.
"""

from mcplan.lint.rules import (
    compliance,
    consistency,
    emails,
    limits,
    pressure,
    structure,
    templates,
)

# In the order their findings are computed.
CHECKED = (structure, templates, pressure, compliance, consistency, limits, emails)
