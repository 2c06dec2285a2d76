"""`mcplan plan`'s outputs: a plan as rich tables (`terminal`), JSON or YAML (`data`), or
Markdown to paste into a brief (`markdown`). The terminal and the Markdown say the same
`sentences`; `--explain` adds every factor of every score and how it is found (`explain`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mcplan.output import Emitter
from mcplan.output.plan.data import as_data, as_dict, as_json, as_yaml
from mcplan.output.plan.markdown import as_markdown
from mcplan.output.plan.terminal import text
from mcplan.plan.journey import JourneyForecast
from mcplan.plan.journey.held import CapForecast
from mcplan.plan.result import CampaignPlan
from mcplan.words import Reader
from mcplan.workspace import Workspace


@dataclass(frozen=True)
class Plans:
    """The plans to show, and how: ``explain`` adds every factor of every score (and how
    each journey step's figures come); ``journeys``: the journeys' forecasts, after them;
    ``held``: what the platform holds or skips of their sends, by journey id."""

    plans: Sequence[CampaignPlan]
    workspace: Workspace
    explain: bool = False
    journeys: Sequence[JourneyForecast] = ()
    held: Mapping[str, CapForecast] = field(default_factory=dict)

    @property
    def reader(self) -> Reader:
        """Who reads the text and the Markdown: the workspace's language."""
        return Reader.of(self.workspace.settings.locale)


EMITTERS: dict[str, Emitter[Plans]] = {
    "text": text,
    "json": as_json,
    "yaml": as_yaml,
    "markdown": as_markdown,
}

__all__ = ["EMITTERS", "Plans", "as_data", "as_dict", "as_json", "as_markdown", "as_yaml", "text"]
