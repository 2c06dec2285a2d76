"""What a campaign and a journey share: objectives, personas and one core message in its
languages, with hand-written variants, templates and message tests (`Outreach`), so that a
rule about any of them is written once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import ConfigDict, Field, ValidationInfo, create_model, model_validator

from mcplan.workspace.experiment import Experiment
from mcplan.workspace.fields import (
    Amount,
    FileModel,
    Locale,
    ObjectiveKind,
    Parts,
    StrictModel,
    Text,
    Url,
    cross_checking,
    disagree,
)
from mcplan.workspace.ids import Id, Ref
from mcplan.workspace.markets import language, same_language
from mcplan.workspace.sourcemap import KeyPath
from mcplan.workspace.times import Day


class Objective(StrictModel):
    """One objective of the campaign, global or for one channel."""

    kind: ObjectiveKind = Field(
        description="sales, loyalty, awareness, satisfaction, reputation or cost_reduction."
    )
    target: Amount | None = Field(
        None, description="Target figure (sales: revenue in the workspace currency)."
    )
    weight: Amount = Field(
        1.0, description="Relative weight when the campaign has several objectives."
    )
    channel: Ref | None = Field(None, description="Only for this channel. Default: global.")


# A discount written in the headline or body ("Saldi: fino al -50 %"): the message is an offer.
_DISCOUNT = re.compile(r"(?<![\w.,])[-\u2212\u2013]\s?\d+(?:[.,]\d+)?\s?%")


class MessageKind(StrEnum):
    """What a message announces; the bundled templates choose their sentences from it."""

    OFFER = "offer"
    EVENT = "event"
    LAUNCH = "launch"
    NEWS = "news"


class Message(StrictModel):
    """The one core message every channel renders from; extra keys are allowed for templates.

    Its `kind` says what it announces, and the bundled templates write what fits: an offer
    ("-20 %, with code SPRING20, until 16 April"), an event ("on 18 March 2027"; register),
    a launch ("new, from 3 March") or news (no date, no offer). Without a `kind`, a message
    with an offer, a price or a code (or a discount, "-30 %", in its headline or body) is an
    offer; one with a single day (`starts`, `ends`, or both the same) is an event on that day;
    any other is news (with its period, "from 3 to 17 March", when it has two days). A
    template reads it as `m.kind`.
    """

    model_config = ConfigDict(extra="allow")

    kind: MessageKind | None = Field(
        None,
        description="offer, event, launch or news: what the message announces. Default: an "
        "offer when it has an offer, a price or a code (or a discount, -30 %, in its headline or "
        "body); else an event when it has one day; else news.",
    )
    headline: Text = Field(description="The message in one line.")
    body: Text = Field("", description="One or two sentences that develop the headline.")
    offer: Text = Field("", description='The offer, as written everywhere (for example "-40 %").')
    price: Text = Field("", description='A price, as written everywhere (for example "29,90 €").')
    code: Text = Field("", description="Promo code.")
    starts: Day | None = Field(
        None,
        description="First day of the offer, the day of the event (its first, if it lasts "
        "several days), or the day of the launch.",
    )
    ends: Day | None = Field(
        None, description="Last day of the offer, or of an event that lasts several days."
    )
    url: Url = Field("", description="Landing page (https://…); renders add UTM tags per channel.")
    cta: Text = Field("", description='Call to action (for example "J\'en profite").')

    @model_validator(mode="after")
    def _dates_in_order(self, info: ValidationInfo) -> Message:
        check_order(self.starts, self.ends, info)
        return self

    @property
    def nature(self) -> MessageKind:
        """Its `kind`, or the one its facts say (see the class documentation)."""
        if self.kind is not None:
            return self.kind
        if (
            self.offer
            or self.price
            or self.code
            or _DISCOUNT.search(f"{self.headline} {self.body}")
        ):
            return MessageKind.OFFER
        if (self.starts or self.ends) and (
            not self.starts or not self.ends or self.starts == self.ends
        ):
            return MessageKind.EVENT
        return MessageKind.NEWS


class _Partial(StrictModel):
    model_config = ConfigDict(extra="allow")


_OPTIONAL: dict[str, Any] = {
    name: (field.rebuild_annotation() | None, Field(None, description=field.description))
    for name, field in Message.model_fields.items()
}
PartialMessage = create_model(
    "PartialMessage",
    __base__=_Partial,
    __doc__="A translation's message: any key of the core message (none is required), and "
    "extra keys for templates.",
    **_OPTIONAL,
)


class Translation(StrictModel):
    """The copy of a campaign in one language (`nl`) or locale (`nl-BE`): what differs from
    the core message, for the personas who read it."""

    message: PartialMessage = Field(
        default_factory=PartialMessage,
        description="Keys of the core message in this language (headline, body, cta, url…); "
        "every key not written here is the core message's.",
    )
    variants: dict[Ref, Parts] = Field(
        default_factory=dict,
        description="Hand-written text per channel in this language, replacing the campaign's.",
    )
    templates: dict[Ref, Parts] = Field(
        default_factory=dict,
        description="Templates per channel in this language, replacing the channel's.",
    )


def _worded(schema: dict[str, Any], cls: type) -> None:
    """Each kind's own words for the keys that describe it by name (see `Outreach.worded`)."""
    for key, words in getattr(cls, "worded", {}).items():
        schema["properties"][key]["description"] = words


class Outreach(FileModel):
    """What a campaign and a journey share: who it is for, what it should achieve, and the one
    core message every channel renders from, in its languages.

    The keys whose description names the kind ("What the campaign should achieve.") take it
    from the kind's `worded`, so each schema reads as it always has.
    """

    model_config = ConfigDict(json_schema_extra=_worded)

    worded: ClassVar[Mapping[str, str]] = {}

    id: Id = Field(description="Unique id. Default: the file name.")
    name: Text = Field("", description="Display name. Default: the id.")
    description: Text = ""
    brand: Text = Field(
        "", description="Brand name used in every channel. Default: the workspace's brand."
    )
    objectives: list[Objective] = Field(default_factory=list)
    average_order_value: Amount | None = Field(
        None,
        description="Average revenue of one conversion, in the workspace currency: turns the "
        "forecast conversions into revenue for a sales objective.",
    )
    personas: list[Ref] = Field(min_length=1)
    locale: Locale | None = Field(
        None,
        description="Language of the core message, like fr or fr-BE. Default: the workspace's.",
    )
    message: Message
    locales: dict[Locale, Translation] = Field(default_factory=dict)
    variants: dict[Ref, Parts] = Field(
        default_factory=dict,
        description="Hand-written text per channel, checked like rendered text.",
    )
    templates: dict[Ref, Parts] = Field(default_factory=dict)
    tests: list[Experiment] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any, info: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        settings = (info.context or {}).get("settings")
        if not data.get("brand") and settings is not None and settings.brand:
            data["brand"] = settings.brand
        if settings is not None and not data.get("locale"):  # `locale: ~` too
            data["locale"] = settings.locale
        return data

    def reads_core(self, locale: str) -> bool:
        """Whether a persona of ``locale`` reads the core message itself (not a translation)."""
        return self.translation(locale) is None and same_language(locale, self.locale)

    def test_on(self, channel: str) -> Experiment | None:
        """The test of ``channel``'s message, if there is one."""
        return next((t for t in self.tests if t.channel == channel), None)

    def translation(self, locale: str) -> str | None:
        """The `locales` key a persona of ``locale`` reads (its locale, else its language), or
        None: the core message (in its language or not: see :meth:`speaks`)."""
        return next((k for k in (locale, language(locale)) if k in self.locales), None)

    def speaks(self, locale: str) -> bool:
        """Whether a persona of ``locale`` has the message in its language."""
        return self.translation(locale) is not None or same_language(locale, self.locale)

    def own(self, kind: str, channel: str, locale: str) -> tuple[Parts | None, KeyPath]:
        """The ``kind`` (`templates` or `variants`) text of ``channel`` for the personas of
        ``locale``, and where it is written: its translation's, else its own when they read
        the core message's language, else none (never another language's)."""
        key = self.translation(locale)
        if key is not None:
            return getattr(self.locales[key], kind).get(channel), ("locales", key, kind, channel)
        own = getattr(self, kind).get(channel) if same_language(locale, self.locale) else None
        return own, (kind, channel)

    def message_for(self, key: str | None) -> Message:
        """The core message with the keys of translation ``key`` (None: the core)."""
        if key is None:
            return self.message
        given = self.locales[key].message.model_dump(exclude_none=True)
        return self.message.model_copy(update=given)

    def message_in(self, locale: str) -> Message:
        """The message that personas of ``locale`` read (see :meth:`translation`)."""
        return self.message_for(self.translation(locale))


def check_order(starts: date | None, ends: date | None, info: ValidationInfo) -> None:
    """A `starts` after its `ends` is an error (unless salvaging)."""
    if starts and ends and ends < starts and cross_checking(info):
        raise disagree(f"ends ({ends}) is before starts ({starts})", at="ends")
