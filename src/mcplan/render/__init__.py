"""Render a campaign's one core message into a channel-adapted version per channel."""

from mcplan.render.engine import Part, Rendering, Version, campaign_channels, render_campaign

__all__ = ["Part", "Rendering", "Version", "campaign_channels", "render_campaign"]
