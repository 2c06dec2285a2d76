"""mcplan: plan, render and lint multichannel marketing campaigns kept as YAML files in git.

The public API is small: load a workspace, then validate, lint, plan or render it.

>>> from mcplan import load_workspace, lint, plan
>>> workspace = load_workspace("path/to/workspace")       # doctest: +SKIP
>>> for finding in lint(workspace).findings:               # doctest: +SKIP
...     print(finding)
>>> for campaign_plan in plan(workspace):                  # doctest: +SKIP
...     print(campaign_plan.chosen, campaign_plan.total.cost)
"""

from mcplan.errors import McplanError, UsageError, WorkspaceNotFoundError
from mcplan.findings import Finding, Level, Location
from mcplan.lint.engine import lint
from mcplan.plan import plan
from mcplan.render import render_campaign
from mcplan.workspace import (
    Campaign,
    Channel,
    Persona,
    Settings,
    Workspace,
    find_root,
    load_workspace,
)
from mcplan.workspace.references import validate
from mcplan.workspace.schema import json_schema

__version__ = "0.1.0"

__all__ = [
    "Campaign",
    "Channel",
    "Finding",
    "Level",
    "Location",
    "McplanError",
    "Persona",
    "Settings",
    "UsageError",
    "Workspace",
    "WorkspaceNotFoundError",
    "__version__",
    "find_root",
    "json_schema",
    "lint",
    "load_workspace",
    "plan",
    "render_campaign",
    "validate",
]
