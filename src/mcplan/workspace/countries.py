"""The law of each country mcplan knows, as data: what it changes in a channel's rules for the
personas of that country.

A bundled file per country (`src/mcplan/country_rules/<cc>.yaml`, sources in
`docs/countries.md`) gives, per channel, the consent each market needs, the send window, the
contact caps and the mandatory mentions that the country's law sets. For a persona of that
country (its `country`, else its locale's region), the rules are layered: the channel's
generic rules (the bundled library), then the country's law over them, then what the
workspace's own channel file writes over both, key by key (the workspace's choice wins: its
file is reviewed like any other). Mentions are added to the language's. A persona of a country
without a file gets the channels' generic rules, and lint says so once (C105).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pydantic import Field, ValidationError

from mcplan.findings import Location
from mcplan.workspace.channel import Channel, ChannelConsent, MustContain
from mcplan.workspace.fields import CountryCode, Pressure, StrictModel, Text, Window
from mcplan.workspace.ids import Ref
from mcplan.workspace.library import BUNDLED_PREFIX, deep_merge
from mcplan.workspace.persona import Persona
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.yamlsource import parse

FOLDER = "country_rules"
GOVERNED = ("consent", "window", "pressure")  # the keys a country replaces


class CountryChannel(StrictModel):
    """What a country's law sets for one channel."""

    consent: ChannelConsent | None = Field(None, description="Consent needed, per market.")
    window: Window | None = Field(None, description="When the channel may reach people.")
    pressure: Pressure | None = Field(None, description="Contact caps on the channel.")
    must_contain: list[MustContain] = Field(
        default_factory=list, description="Mentions every text must carry, beside the language's."
    )


class CountryLaw(StrictModel):
    """What one country's law sets (`country_rules/<cc>.yaml`)."""

    country: CountryCode = Field(description="ISO 3166-1 code.")
    name: Text = Field(description="The country's name in English.")
    summary: Text = Field("", description="The laws in a sentence or two.")
    channels: dict[Ref, CountryChannel] = Field(
        default_factory=dict, description="What the law sets, by channel id."
    )


@dataclass(frozen=True)
class Country:
    """A country's law, with where each of its settings is written."""

    law: CountryLaw
    source: SourceMap


@functools.cache
def bundled_countries() -> dict[str, Country]:
    """The countries mcplan ships rules for, by ISO code, parsed once per process."""
    folder = resources.files("mcplan") / FOLDER
    countries = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            document = parse(entry.read_text("utf-8"), f"{BUNDLED_PREFIX}{FOLDER}/{entry.name}")
            law = CountryLaw.model_validate(document.data)
            countries[law.country] = Country(law, document.source)
    return countries


def country_of(persona: Persona) -> str | None:
    """The persona's country (``FR`` for ``FR-57``), if it has one."""
    return persona.country.split("-")[0] if persona.country else None


@dataclass(frozen=True)
class ChannelLaw:
    """A channel as one country's law leaves it for the personas of that country, and where
    each of its settings comes from."""

    channel: Channel
    country: Country | None
    given: frozenset[str]  # the keys of GOVERNED the country set, and the workspace did not
    mentions: tuple[tuple[Location, MustContain], ...]  # the country's, with their places

    def place(self, key: str, fallback: SourceMap) -> Location:
        """Where `key` (consent, window, pressure) of this channel is written: the country's
        file, or ``fallback`` (the channel's)."""
        source, path = self.path(key)
        return (source or fallback).locate(path, key=True)

    def path(self, key: str) -> tuple[SourceMap | None, KeyPath]:
        """The country file's source and path of `key`, or (None, (key,)) for the channel's."""
        if self.country is not None and key in self.given:
            return self.country.source, ("channels", self.channel.id, key)
        return None, (key,)


def channel_law(
    channel: Channel, country: str | None, written: Mapping[str, Any] | None = None
) -> ChannelLaw:
    """``channel`` under ``country``'s law; ``written`` is what the workspace's own channel
    files write, which goes over the country's law."""
    known = bundled_countries().get(country or "")
    entry = known.law.channels.get(channel.id) if known else None
    if known is None or entry is None:
        return ChannelLaw(channel, known, frozenset(), ())
    update: dict[str, Any] = {}
    for key in GOVERNED:
        law = getattr(entry, key)
        if law is None:
            continue
        own = (written or {}).get(key)
        if isinstance(own, dict):  # the workspace's keys over the law's
            try:
                law = type(law).model_validate(deep_merge(law.model_dump(mode="json"), own))
            except ValidationError:  # together they disagree: the workspace's rules stand
                continue
        if own is None or isinstance(own, dict):
            update[key] = law
    given = frozenset(k for k in update if k not in (written or {}))
    places = tuple(
        (known.source.locate(("channels", channel.id, "must_contain", i)), mention)
        for i, mention in enumerate(entry.must_contain)
    )
    return ChannelLaw(channel.model_copy(update=update), known, given, places)
