"""The rule families whose home is the linter: `pressure` (P), `compliance` (C), `consistency`
(M) and `emails` (E).

Each module declares its rules and its `FAMILY` (`mcplan.findings.Family`): its letter, name and
entry points, `check(context)` for what involves the whole workspace and `check_campaign(context,
campaign)` for what one campaign alone decides (and `merge` when the campaigns' findings need one
more pass). The other families live beside what finds them (structure, templates, channel
limits, planning, the linter's suppressions); `mcplan.lint.registry` is the table of them all,
in the order their findings are computed. Rules report at their default level; the engine
applies the workspace's configuration (select, ignore, levels), suppressions and the baseline.
"""
