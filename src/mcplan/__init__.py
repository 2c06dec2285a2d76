"""mcplan: plan, render and lint multichannel marketing campaigns kept as YAML files in git.

The public API is small: load a workspace, then validate, lint, plan, render, attribute or
review it.

>>> from mcplan import load_workspace, lint, plan
>>> workspace = load_workspace("path/to/workspace")       # doctest: +SKIP
>>> for finding in lint(workspace).findings:               # doctest: +SKIP
...     print(finding)
>>> for campaign_plan in plan(workspace):                  # doctest: +SKIP
...     print(campaign_plan.chosen, campaign_plan.total.cost)
"""

__version__ = "0.1.0"

from mcplan.attribution.run import attribute_file
from mcplan.errors import McplanError, UsageError, WorkspaceNotFoundError
from mcplan.findings import Finding, Level, Location, Related, Rule, Subject
from mcplan.lint.engine import lint, validate
from mcplan.plan import plan
from mcplan.plan.write import apply_plan
from mcplan.render import render_campaign
from mcplan.review import review_results
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
    "json_schema",
    "lint",
    "load_workspace",
    "plan",
    "render_campaign",
    "review_results",
    "validate",
]
