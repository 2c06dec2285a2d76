"""Render a campaign's one core message into a channel-adapted version per channel.

The engine (and jinja2's sandbox) loads on first use, so that the rules declared in
`mcplan.render.limits` and `mcplan.render.templates` can be listed without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mcplan.lazy import defer

if TYPE_CHECKING:
    from mcplan.render.engine import Part, Rendering, Version, campaign_channels, render_campaign
    from mcplan.render.steps import render_journey

_API = ("Part", "Rendering", "Version", "campaign_channels", "render_campaign")
defer(
    __name__,
    dict.fromkeys(_API, "mcplan.render.engine") | {"render_journey": "mcplan.render.steps"},
)


__all__ = ["Part", "Rendering", "Version", "campaign_channels", "render_campaign", "render_journey"]
