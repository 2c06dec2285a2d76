"""The channels and the personas of a workspace, as tables or JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text

from mcplan.numbers import count, number, percent
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.workspace import Channel, Direction, Workspace
from mcplan.workspace.countries import country_of


def channels_tables(workspace: Workspace) -> Rich:
    """Two tables, to fit 80 columns: what each channel costs and returns, then when it may
    be used and with what consent."""
    currency = workspace.settings.currency
    channels = workspace.channels.values()
    costs = Grid(
        "Channels: cost and rates",
        [
            ("id", ID), ("direction", ID), (f"{currency} per contact", NUMBER),
            (f"fixed {currency}", NUMBER), ("open", NUMBER), ("click", NUMBER),
            ("conversion", NUMBER), ("from", TEXT),
        ],
        bold_first=True,
    )  # fmt: skip
    for channel in channels:
        costs.add_row(
            channel.id,
            "outbound" if channel.direction is Direction.OUTBOUND else "inbound",
            number(channel.cost_per_contact),
            number(channel.fixed_cost),
            percent(channel.rates.open),
            percent(channel.rates.click),
            percent(channel.rates.conversion),
            workspace.origin(channel.id),
        )
    windows = Grid(
        "Channels: when, and with what consent (by the law of the personas' countries)",
        [
            ("id", ID), ("countries", ID), ("days", TEXT), ("hours", TEXT), ("on holidays", ID),
            ("consent b2c", ID), ("consent b2b", ID),
        ],
        bold_first=True,
    )  # fmt: skip
    for channel in channels:
        for countries, rules in _by_country(workspace, channel.id):
            windows.add_row(
                channel.id,
                countries,
                rules.window.days_text(),
                rules.window.hours_text(),
                "yes" if rules.window.holidays else "no",
                rules.consent.b2c.value,
                rules.consent.b2b.value,
            )
    return Rich([costs, Text(""), windows])


def personas_table(workspace: Workspace) -> Grid:
    """Each persona, then the channels it can be reached on."""
    table = Grid(
        "Personas",
        [
            ("persona, channel", ID), ("market, stage", TEXT), ("size", NUMBER),
            ("reach", NUMBER), ("affinity", NUMBER), ("consent", ID),
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
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _countries(workspace: Workspace) -> list[str | None]:
    """The countries of the workspace's personas (None: a persona without one)."""
    found = {country_of(p) for p in workspace.personas.values()}
    return sorted(found, key=lambda c: c or "") or [None]


def _by_country(workspace: Workspace, channel_id: str) -> list[tuple[str, Channel]]:
    """The channel's rules for the personas' countries: each distinct set of rules once, with
    the countries it is for ("BE, IE"; "any" for those without a country)."""
    groups: dict[str, tuple[list[str], Channel]] = {}
    for country in _countries(workspace):
        rules = workspace.rules_in(channel_id, country).channel
        key = rules.model_dump_json(include={"window", "consent"})
        groups.setdefault(key, ([], rules))[0].append(country or "any")
    return [(", ".join(names), rules) for names, rules in groups.values()]


def channels_json(workspace: Workspace) -> str:
    rows = []
    for channel in workspace.channels.values():
        by_country = {
            country: workspace.rules_in(channel.id, country)
            for country in _countries(workspace)
            if country
        }
        laws = {
            country: rules.channel.model_dump(mode="json", include=set(rules.given))
            for country, rules in by_country.items()
            if rules.given
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
