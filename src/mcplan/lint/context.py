"""What every rule family reads: the workspace, its contacts and its rendered versions."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from mcplan.findings import Location
from mcplan.render import Rendering, Version, render_campaign
from mcplan.render.measure import main_part
from mcplan.schedule.contacts import Contact, expand
from mcplan.workspace import BUNDLED_PREFIX, Campaign, Workspace
from mcplan.workspace.yamlsource import KeyPath


@dataclass
class LintContext:
    """The loaded workspace and what is derived from it once for all rules."""

    workspace: Workspace

    @functools.cached_property
    def contacts(self) -> list[Contact]:
        """Every touch to every persona, sorted by persona and time."""
        return expand(self.workspace)

    @functools.cached_property
    def renderings(self) -> dict[str, Rendering]:
        """Every campaign rendered on every channel it uses."""
        return {c: render_campaign(self.workspace, c) for c in self.workspace.campaigns}

    def text_location(self, version: Version, part: str | None = None) -> Location:
        """Where to point for something wrong in a version's text, in the workspace's files.

        The hand-written variant if there is one, else the campaign's own template, else the
        workspace's channel template. A bundled template cannot be edited, so its findings
        point at the campaign: its `channels` entry, its first touch on the channel, or its
        message.
        """
        campaign = self.workspace.campaigns[version.campaign]
        part = part or main_part([p.name for p in version.parts])
        source = self.workspace.source("campaigns", campaign.id)
        origin = next((p.origin for p in version.parts if p.name == part), "template")
        # On the key (`sms:`, `body: |`): a whole text is at fault, and a comment there can
        # suppress the finding, where a line inside a block text could not.
        if origin == "variant":
            return source.locate(("variants", version.channel, part), key=True)
        if version.channel in campaign.templates:
            own = campaign.templates[version.channel]
            if isinstance(own, str) or part in own:
                return source.locate(("templates", version.channel, part), key=True)
        channel_source = self.workspace.source("channel_rules", version.channel)
        where = channel_source.locate(("template", part), key=True)
        if not where.file.startswith(BUNDLED_PREFIX):
            return where
        return source.locate(campaign_channel_path(campaign, version.channel))


def campaign_channel_path(campaign: Campaign, channel: str) -> KeyPath:
    """Where a campaign names a channel: its `channels` entry, else its first touch on it."""
    if campaign.channels and channel in campaign.channels:
        return ("channels", campaign.channels.index(channel))
    for i, touch in enumerate(campaign.touches):
        if touch.channel == channel:
            return ("touches", i, "channel")
    return ("message",)
