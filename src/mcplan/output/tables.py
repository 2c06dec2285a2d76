"""The channels and the personas of a workspace, as tables or JSON."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from mcplan.json_text import json_text
from mcplan.numbers import count, number, percent
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.words import Days, Reader
from mcplan.workspace import Channel, Direction, Workspace
from mcplan.workspace.countries import country_of


def channels_tables(workspace: Workspace) -> Rich:
    """Two tables, to fit 80 columns: what each channel costs and returns, then when it may
    be used and with what consent."""
    currency, t = workspace.settings.currency, Reader.of(workspace.settings.locale)
    channels = workspace.channels.values()
    costs = Grid(
        t.say("channels_costs"),
        [
            (t.say("col_id"), ID), (t.say("col_direction"), ID),
            (t.say("col_per_contact_in", currency=currency), NUMBER),
            (t.say("col_fixed_in", currency=currency), NUMBER), (t.say("col_open"), NUMBER),
            (t.say("col_click"), NUMBER), (t.say("col_conversion"), NUMBER),
            (t.say("col_from"), TEXT),
        ],
        bold_first=True,
    )  # fmt: skip
    for channel in channels:
        costs.add_row(
            channel.id,
            t.say("outbound" if channel.direction is Direction.OUTBOUND else "inbound"),
            number(channel.cost_per_contact),
            number(channel.fixed_cost),
            percent(channel.rates.open),
            percent(channel.rates.click),
            percent(channel.rates.conversion),
            _origin(workspace.origin(channel.id), t),
        )
    windows = Grid(
        t.say("channels_windows"),
        [
            (t.say("col_id"), ID), (t.say("col_countries"), ID), (t.say("col_days"), TEXT),
            (t.say("col_hours"), TEXT), (t.say("col_on_holidays"), ID),
            (t.say("col_consent_b2c"), ID), (t.say("col_consent_b2b"), ID),
        ],
        bold_first=True,
    )  # fmt: skip
    for channel in channels:
        for countries, ruled in _by_country(workspace, channel.id):
            hours = ruled.window.hours_text()
            windows.add_row(
                channel.id,
                ", ".join(t.say("any_country") if c == "any" else c for c in countries.split(", ")),
                t.text(Days(tuple(d.number for d in ruled.window.days))),
                t.say("all_day") if hours == "all day" else hours,
                t.say("answer_yes" if ruled.window.holidays else "answer_no"),
                ruled.consent.b2c.value,
                ruled.consent.b2b.value,
            )
    return Rich([costs, Text(""), windows])


def _origin(origin: str, reader: Reader) -> str:
    """``bundled``, ``workspace`` or ``extends phone``, in the reader's words."""
    if origin.startswith("extends "):
        return reader.say("origin_extends", channel=origin.removeprefix("extends "))
    return reader.words.get(f"origin_{origin}", origin)


def personas_table(workspace: Workspace) -> Grid:
    """Each persona, then the channels it can be reached on."""
    t = Reader.of(workspace.settings.locale)
    table = Grid(
        t.say("personas_title"),
        [
            (t.say("col_persona_channel"), ID), (t.say("col_market_stage"), TEXT),
            (t.say("col_size"), NUMBER), (t.say("col_reach"), NUMBER),
            (t.say("col_affinity"), NUMBER), (t.say("col_consent"), ID),
        ],
    )  # fmt: skip
    for persona in workspace.personas.values():
        links = sorted(persona.channels.items())  # by id, as every table
        table.add_row(
            Text(persona.id, style="bold"),
            f"{persona.market.value}, {persona.stage.value}",
            count(persona.size),
            "",
            "",
            "",
            end_section=not links,
        )
        for n, (channel_id, link) in enumerate(links, start=1):
            table.add_row(
                f"  {channel_id}",
                "",
                "",
                percent(link.reach),
                percent(link.affinity),
                link.consent.value,
                end_section=n == len(links),
            )
    return table


def _json(rows: list[dict[str, Any]]) -> str:
    return json_text(rows)


def _countries(workspace: Workspace) -> list[str | None]:
    """The countries of the workspace's personas (None: a persona without one)."""
    found = {country_of(p) for p in workspace.personas.values()}
    return sorted(found, key=lambda c: c or "") or [None]


def _by_country(workspace: Workspace, channel_id: str) -> list[tuple[str, Channel]]:
    """The channel under the law of each of the personas' countries: each distinct channel
    once, with the countries it is for ("BE, IE"; "any" for those without a country)."""
    groups: dict[str, tuple[list[str], Channel]] = {}
    for country in _countries(workspace):
        ruled = workspace.law_in(channel_id, country).channel
        key = ruled.model_dump_json(include={"window", "consent"})
        groups.setdefault(key, ([], ruled))[0].append(country or "any")
    return [(", ".join(names), ruled) for names, ruled in groups.values()]


def channels_json(workspace: Workspace) -> str:
    rows = []
    for channel in workspace.channels.values():
        by_country = {
            country: workspace.law_in(channel.id, country)
            for country in _countries(workspace)
            if country
        }
        laws = {
            country: law.channel.model_dump(mode="json", include=set(law.given))
            for country, law in by_country.items()
            if law.given
        }
        rows.append(
            {
                # Its name in the reader's language, not in every one (`names`).
                **channel.model_dump(mode="json", exclude={"names"}),
                "display_name": channel.title(workspace.settings.locale),
                "origin": workspace.origin(channel.id),
                "countries": laws,
            }
        )
    return _json(rows)


def personas_json(workspace: Workspace) -> str:
    return _json([p.model_dump(mode="json") for p in workspace.personas.values()])


CHANNELS: dict[str, Emitter[Workspace]] = {
    "text": channels_tables,
    "json": channels_json,
}
PERSONAS: dict[str, Emitter[Workspace]] = {
    "text": lambda workspace: Rich([personas_table(workspace)]),
    "json": personas_json,
}
