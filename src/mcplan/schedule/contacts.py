"""Every touch of every campaign, expanded into one dated contact per persona.

Contact pressure crosses campaigns, so the linter looks at the whole workspace at once: a
touch without `personas` reaches each persona of its campaign, at its time read in that
persona's time zone (or converted to it, when the time carries an offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mcplan.findings import Location
from mcplan.workspace import Direction, Workspace


@dataclass(frozen=True, order=True)
class Contact:
    """One touch reaching one persona, at a time in the persona's own time zone."""

    persona: str
    at: datetime
    campaign: str
    touch: int
    channel: str
    where: Location  # the touch in its campaign file

    def describe(self) -> str:
        """``sms Tue 15 Dec 18:30 (noel)``: the label of a touch that a finding involves."""
        return f"{self.channel} {self.at:%a %d %b %H:%M} ({self.campaign})"


def outbound(workspace: Workspace) -> set[str]:
    """The channels whose touches count towards contact pressure: those the brand sends."""
    return {c for c, ch in workspace.channels.items() if ch.direction is Direction.OUTBOUND}


def expand(workspace: Workspace) -> list[Contact]:
    """Every contact of the workspace, sorted by persona, then time."""
    contacts = []
    for campaign in workspace.campaigns.values():
        source = workspace.source("campaigns", campaign.id)
        for i, touch in enumerate(campaign.touches):
            where = source.locate(("touches", i))
            for persona in workspace.targets(campaign, touch):
                at = touch.local_time(persona)
                contacts.append(Contact(persona.id, at, campaign.id, i, touch.channel, where))
    return sorted(contacts)
