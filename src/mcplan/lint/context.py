"""What every rule family reads: the workspace, its contacts and its rendered versions.

A family's `check(context)` reports what involves the whole workspace (contact pressure
crosses campaigns); its `check_campaign(context, campaign)`, when it has one, what one
campaign's versions alone decide, so that campaigns can be checked in several processes. A
journey's send steps are versions too: its key among the campaigns is `journeys/<id>` (an id
has no slash), and its rendering has a version per step (`render_journey`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mcplan.schedule.contacts import Contact, expand
from mcplan.workspace import Workspace

if TYPE_CHECKING:
    from mcplan.render import Rendering

JOURNEYS = "journeys/"  # a journey's key among the campaigns: journeys/<id>


@dataclass
class LintContext:
    """The loaded workspace and what is derived from it once for all rules."""

    workspace: Workspace

    @functools.cached_property
    def contacts(self) -> list[Contact]:
        """Every touch to every persona, sorted by persona and time."""
        return expand(self.workspace)

    _renderings: dict[str, Rendering] = field(default_factory=dict, init=False, repr=False)

    def rendering(self, campaign: str) -> Rendering:
        """The campaign rendered on every channel it uses (a journey, `journeys/<id>`, each
        send step), once for every rule."""
        if campaign not in self._renderings:
            from mcplan.render import render_campaign, render_journey

            journey = campaign.removeprefix(JOURNEYS)
            self._renderings[campaign] = (
                render_journey(self.workspace, journey)
                if journey != campaign
                else render_campaign(self.workspace, campaign)
            )
        return self._renderings[campaign]

    @property
    def renderings(self) -> list[str]:
        """What the families check one at a time: each campaign, then each journey."""
        return [*self.workspace.campaigns, *(JOURNEYS + j for j in self.workspace.journeys)]

    def forget(self, campaign: str) -> None:
        """Let the campaign's rendering go, once every rule has read it."""
        self._renderings.pop(campaign, None)
