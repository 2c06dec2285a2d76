"""A campaign: objectives, budget, personas, one core message (as `outreach` has them),
channels and the schedule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, model_validator

from mcplan.findings import Subject
from mcplan.workspace.fields import Amount, Positive, Share, StrictModel, Text
from mcplan.workspace.ids import Ref
from mcplan.workspace.outreach import (
    Message,
    MessageKind,
    Objective,
    Outreach,
    PartialMessage,
    Translation,
    check_order,
)
from mcplan.workspace.persona import Persona
from mcplan.workspace.sourcemap import KeyPath
from mcplan.workspace.times import Day, LocalDateTime


class Touch(StrictModel):
    """One scheduled send on one channel."""

    channel: Ref = Field(description="Channel id.")
    at: LocalDateTime = Field(
        description="When: YYYY-MM-DDTHH:MM, local to each persona's time zone unless it "
        "carries an offset."
    )
    personas: list[Ref] | None = Field(
        None,
        min_length=1,
        description="Only these personas of the campaign. Default: all of them.",
    )
    after: Ref | None = Field(
        None,
        description="Cross-channel link: the channel whose earlier touch this one follows up.",
    )
    note: Text = Field("", description="Why this touch, for reviewers.")

    def local_time(self, persona: Persona) -> datetime:
        """When the touch reaches ``persona``: an aware time in the persona's time zone."""
        zone = ZoneInfo(persona.timezone or "UTC")
        if self.at.tzinfo is None:
            return self.at.replace(tzinfo=zone)
        return self.at.astimezone(zone)


class Campaign(Outreach):
    """One campaign (`campaigns/<id>.yaml`)."""

    # It is also what a renderer renders: a journey's send step renders as a campaign of its
    # own (`mcplan.render.steps`), which says where its texts are written through FOLDER (the
    # folder of its file), channel_path(), message_path() and own().
    FOLDER: ClassVar[str] = "campaigns"

    worded: ClassVar[Mapping[str, str]] = {
        "description": "What the campaign is about.",
        "objectives": "What the campaign should achieve.",
        "personas": "Persona ids this campaign targets.",
        "message": "The one core message.",
        "locales": "Translations, by language (nl) or locale (nl-BE): a persona reads the "
        "entry of its locale, else of its language, else the core message if it is in its "
        "language. A persona of another language, without an entry, gets no version.",
        "templates": "Templates that replace the channel's default for this campaign.",
        "tests": "Tests of message options (A/B), at most one per channel: `mcplan plan` "
        "says whether each can detect its lift, `mcplan report` reads its results.",
    }

    budget: Amount | None = Field(
        None, description="Total budget in the workspace currency. Default: no limit."
    )
    max_channels: Positive | None = Field(
        None, description="Most channels to use (start small). Default: no limit."
    )
    starts: Day | None = Field(
        None,
        description="First day touches may go out. Default: message.starts (none for an "
        "event: its touches lead up to it).",
    )
    ends: Day | None = Field(
        None,
        description="Last day touches may go out. Default: message.ends (an event's last day).",
    )
    channels: list[Ref] | None = Field(
        None, description="Channels to use. Default: `mcplan plan` chooses."
    )
    touches: list[Touch] = Field(
        default_factory=list,
        description="The schedule. Default: `mcplan plan` proposes one.",
    )
    holdout: Share | None = Field(
        None,
        description="The share of every persona kept out of every touch, as a control group "
        "that measures what the campaign adds (0.1: 10 %). Default: none.",
    )

    @property
    def named_channels(self) -> list[str]:
        """The channels the campaign names: its `channels`, then those its touches use."""
        return list(dict.fromkeys([*(self.channels or []), *(t.channel for t in self.touches)]))

    @model_validator(mode="after")
    def _dates_in_order(self, info: ValidationInfo) -> Campaign:
        check_order(self.starts, self.ends, info)
        return self

    @property
    def first_day(self) -> date | None:
        """First day touches may go out: an event's lead up to it, from any day."""
        if self.message.nature is MessageKind.EVENT:
            return self.starts
        return self.starts or self.message.starts

    @property
    def last_day(self) -> date | None:
        """Last day touches may go out."""
        return self.ends or self.message.ends

    def channel_path(self, channel: str) -> KeyPath:
        """Where the campaign names a channel: its `channels` entry, else its first touch on
        it, else its message."""
        if self.channels and channel in self.channels:
            return ("channels", self.channels.index(channel))
        for i, touch in enumerate(self.touches):
            if touch.channel == channel:
                return ("touches", i, "channel")
        return ("message",)

    @property
    def step(self) -> str | None:
        """The journey's step it renders, if it is one (None for a campaign)."""
        return None

    def subject(self, **ids: str | None) -> Subject:
        """What a finding about it (and ``ids``: a channel, a persona…) is about."""
        return Subject(self.id, **ids)

    def message_path(self, key: str) -> KeyPath:
        """Where its message writes ``key``."""
        return ("message", key)


__all__ = [
    "Campaign",
    "Message",
    "MessageKind",
    "Objective",
    "PartialMessage",
    "Touch",
    "Translation",
]
