"""mcplan: plan, render and lint multichannel marketing campaigns kept as YAML files in git.

The public API is small: load a workspace, validate it, and read its models.

>>> from mcplan import load_workspace, validate
>>> workspace = load_workspace("path/to/workspace")       # doctest: +SKIP
>>> for finding in validate(workspace):                    # doctest: +SKIP
...     print(finding)
"""

from mcplan.errors import McplanError, UsageError, WorkspaceNotFoundError
from mcplan.finding import Finding, Level, Location
from mcplan.models import Campaign, Channel, Persona, Settings
from mcplan.schema import json_schema
from mcplan.validate import validate
from mcplan.workspace import Workspace, find_root, load_workspace

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
    "load_workspace",
    "validate",
]
