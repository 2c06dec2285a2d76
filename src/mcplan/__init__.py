"""mcplan: plan, render and lint multichannel marketing campaigns kept as YAML files in git.

The public API is small: load a workspace, then validate, lint, plan, render, attribute or
report on it.

>>> from mcplan import load_workspace, lint, plan
>>> workspace = load_workspace("path/to/workspace")       # doctest: +SKIP
>>> for finding in lint(workspace).findings:               # doctest: +SKIP
...     print(finding)
>>> for campaign_plan in plan(workspace):                  # doctest: +SKIP
...     print(campaign_plan.chosen, campaign_plan.total.cost)
>>> for journey in plan(workspace).journeys:               # doctest: +SKIP
...     print(journey.journey, journey.sends_per_week, journey.cost_per_week)
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from mcplan.lazy import defer

# The public API, by name → the module that defines it. Loaded on first use (`mcplan.lazy`),
# so that `import mcplan` (and `mcplan --version`) loads no model, no rule and no heavy
# library. `mcplan.lint` and `mcplan.plan` are the functions, as they were when this module
# imported them, though `mcplan/lint/` and `mcplan/plan/` are packages too.
_API = {
    "attribute_file": "mcplan.attribution.run",
    "McplanError": "mcplan.errors",
    "UsageError": "mcplan.errors",
    "WorkspaceNotFoundError": "mcplan.errors",
    "Finding": "mcplan.findings",
    "Level": "mcplan.findings",
    "Location": "mcplan.findings",
    "Related": "mcplan.findings",
    "Rule": "mcplan.findings",
    "Subject": "mcplan.findings",
    "lint": "mcplan.lint.engine",
    "validate": "mcplan.lint.engine",
    "plan": "mcplan.plan",
    "forecast_journey": "mcplan.plan.journey",
    "forecast_journeys": "mcplan.plan.journey",
    "apply_plan": "mcplan.plan.write",
    "render_campaign": "mcplan.render",
    "report_campaign": "mcplan.report",
    "Campaign": "mcplan.workspace",
    "Channel": "mcplan.workspace",
    "Persona": "mcplan.workspace",
    "Settings": "mcplan.workspace",
    "Workspace": "mcplan.workspace",
    "find_root": "mcplan.workspace",
    "load_workspace": "mcplan.workspace",
    "json_schema": "mcplan.workspace.schema",
}

if TYPE_CHECKING:
    from mcplan.attribution.run import attribute_file
    from mcplan.errors import McplanError, UsageError, WorkspaceNotFoundError
    from mcplan.findings import Finding, Level, Location, Related, Rule, Subject
    from mcplan.lint.engine import lint, validate
    from mcplan.plan import plan
    from mcplan.plan.journey import forecast_journey, forecast_journeys
    from mcplan.plan.write import apply_plan
    from mcplan.render import render_campaign
    from mcplan.report import report_campaign
    from mcplan.workspace import (
        Campaign,
        Channel,
        Persona,
        Settings,
        Workspace,
        find_root,
        load_workspace,
    )
    from mcplan.workspace.schema import json_schema


defer(__name__, _API)

__all__ = [
    "Campaign",
    "Channel",
    "Finding",
    "Level",
    "Location",
    "McplanError",
    "Persona",
    "Related",
    "Rule",
    "Settings",
    "Subject",
    "UsageError",
    "Workspace",
    "WorkspaceNotFoundError",
    "__version__",
    "apply_plan",
    "attribute_file",
    "find_root",
    "forecast_journey",
    "forecast_journeys",
    "json_schema",
    "lint",
    "load_workspace",
    "plan",
    "render_campaign",
    "report_campaign",
    "validate",
]
