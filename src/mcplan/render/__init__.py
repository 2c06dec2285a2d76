"""Render a campaign's one core message into a channel-adapted version per channel.

The engine (and jinja2's sandbox) loads on first use, so that the rules declared in
`mcplan.render.limits` and `mcplan.render.templates` can be listed without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcplan.render.engine import Part, Rendering, Version, campaign_channels, render_campaign

_API = ("Part", "Rendering", "Version", "campaign_channels", "render_campaign")


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.engine"), name)


__all__ = ["Part", "Rendering", "Version", "campaign_channels", "render_campaign"]
