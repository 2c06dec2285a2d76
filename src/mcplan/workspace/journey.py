"""A journey: an always-on automated flow (a welcome series, an abandoned browse, a win-back)
that each contact enters on an event, with its core message and its steps (`journey_steps`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import ClassVar

from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from mcplan.workspace.fields import StrictModel, Text, cross_checking, disagree
from mcplan.workspace.ids import Ref
from mcplan.workspace.journey_steps import (
    Branch,
    Otherwise,
    PerWeek,
    ReEntry,
    Send,
    Step,
    Steps,
    Wait,
    When,
)
from mcplan.workspace.outreach import Outreach
from mcplan.workspace.sourcemap import KeyPath
from mcplan.workspace.times import Day


class OnCap(StrEnum):
    """What the sending platform does with a journey's send that would break a contact cap."""

    HOLD = "hold"
    SKIP = "skip"
    SEND = "send"


class Entry(StrictModel):
    """How contacts enter the journey."""

    model_config = ConfigDict(populate_by_name=True)

    event: Text = Field(
        description="The event that starts it, as the sending platform names it (signup)."
    )
    per_week: PerWeek | dict[Ref, PerWeek] = Field(
        description="Expected entries per week: one number, split between the personas by "
        "their size, or a number per persona."
    )
    from_: Day = Field(alias="from", description="The first day the journey is live.")
    until: Day | None = Field(None, description="The last day it is live. Default: no end.")

    @model_validator(mode="after")
    def _dates_in_order(self, info: ValidationInfo) -> Entry:
        if self.until and self.until < self.from_ and cross_checking(info):
            raise disagree(f"until ({self.until}) is before from ({self.from_})", at="until")
        return self


class Exit(StrictModel):
    """The journey's goal: whoever reaches it leaves at once."""

    event: Text = Field(description="The event that ends it for a contact (purchase).")


class Journey(Outreach):
    """One journey (`journeys/<id>.yaml`): an automated flow each contact enters on an event."""

    worded: ClassVar[Mapping[str, str]] = {
        "description": "What the journey is for.",
        "objectives": "What the journey should achieve.",
        "personas": "Persona ids who may enter it.",
        "message": "The one core message, as a campaign's.",
        "locales": "Translations, by language (nl) or locale (nl-BE), as a campaign's.",
        "templates": "Templates that replace the channel's default for this journey.",
        "tests": "Tests of message options (A/B), as a campaign's.",
    }

    entry: Entry = Field(description="The event that starts it, how many enter a week, and when.")
    re_entry: ReEntry = Field(
        None,
        description="never, or a duration (30d): how soon someone may enter again. Default: never.",
    )
    exit: Exit | None = Field(
        None, description="Optional goal: whoever reaches its event leaves at once."
    )
    on_cap: OnCap = Field(
        OnCap.HOLD,
        description="hold, skip or send: what the sending platform does with a send that "
        "would break a contact cap.",
    )
    steps: Steps = Field(min_length=1, description="The steps: send, wait and branch.")

    def walk(self) -> Iterator[tuple[KeyPath, Step]]:
        """Every step, arms' steps included, in the order written, with its key path."""
        pending: list[tuple[KeyPath, Step]] = [
            (("steps", i), step) for i, step in enumerate(self.steps)
        ]
        pending.reverse()
        while pending:
            path, step = pending.pop()
            yield path, step
            if isinstance(step, Branch):
                inner = list(arm_steps(path, step))
                pending.extend(reversed(inner))

    def sends(self) -> list[tuple[KeyPath, Send]]:
        """Every send step, with its key path."""
        return [(path, step) for path, step in self.walk() if isinstance(step, Send)]

    def per_week_of(self, sizes: dict[str, float]) -> dict[str, float]:
        """Entries per week per persona: as written, or one number split by ``sizes``."""
        written = self.entry.per_week
        if isinstance(written, dict):
            return {p: float(written.get(p, 0.0)) for p in self.personas}
        total = sum(sizes.get(p, 0.0) for p in self.personas)
        if total <= 0:
            return {p: float(written) / len(self.personas) for p in self.personas}
        return {p: float(written) * sizes.get(p, 0.0) / total for p in self.personas}


def arm_steps(path: KeyPath, branch: Branch) -> Iterator[tuple[KeyPath, Step]]:
    """The steps of each arm of ``branch`` (at ``path``), with their key paths."""
    for i, arm in enumerate(branch.branch):
        key = "steps" if isinstance(arm, When) else "otherwise"
        inner = arm.steps if isinstance(arm, When) else arm.otherwise
        for j, step in enumerate(inner):
            yield (*path, "branch", i, key, j), step


__all__ = [
    "Branch",
    "Entry",
    "Exit",
    "Journey",
    "OnCap",
    "Otherwise",
    "Send",
    "Wait",
    "When",
    "arm_steps",
]
