"""What a rendering is asked for: a campaign or a journey, and channels and personas, each
known to the workspace; an unknown one is a usage error with a suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mcplan.errors import UsageError
from mcplan.suggest import did_you_mean
from mcplan.workspace import Workspace


def asked(
    workspace: Workspace,
    kind: str,
    id_: str,
    channels: Sequence[str] | None,
    personas: Sequence[str] | None,
) -> Any:
    """The campaign or journey (``kind``) asked for, once every channel and persona asked for
    is known."""
    collection = workspace.campaigns if kind == "campaign" else workspace.journeys
    found = _lookup(collection, id_, kind, workspace)
    for channel_id in channels or []:
        _lookup(workspace.channels, channel_id, "channel", workspace)
    for persona_id in personas or []:
        _lookup(workspace.personas, persona_id, "persona", workspace)
    return found


def _lookup(collection: dict[str, Any], id_: str, kind: str, workspace: Workspace) -> Any:
    if id_ in collection:
        return collection[id_]
    folder = {"campaign": "campaigns", "journey": "journeys", "persona": "personas",
              "channel": "channel_rules"}[kind]  # fmt: skip
    if workspace.exists(folder, id_):
        raise UsageError(f"{kind} '{id_}' has errors; run `mcplan validate` to see them")
    raise UsageError(f"unknown {kind} '{id_}'{did_you_mean(id_, collection)}")
