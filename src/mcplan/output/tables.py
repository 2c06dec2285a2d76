"""The channels and the personas of a workspace, as tables or JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text

from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.output.numbers import percent
from mcplan.workspace import Direction, Workspace


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
            f"{channel.cost_per_contact:g}",
            f"{channel.fixed_cost:g}",
            percent(channel.rates.open),
            percent(channel.rates.click),
            percent(channel.rates.conversion),
            workspace.origin(channel.id),
        )
    windows = Grid(
        "Channels: when, and with what consent",
        [
            ("id", ID), ("days", TEXT), ("hours", TEXT), ("on holidays", ID),
            ("consent b2c", ID), ("consent b2b", ID),
        ],
        bold_first=True,
    )  # fmt: skip
    for channel in channels:
        windows.add_row(
            channel.id,
            channel.window.days_text(),
            channel.window.hours_text(),
            "yes" if channel.window.holidays else "no",
            channel.consent.b2c.value,
            channel.consent.b2b.value,
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
        links = list(persona.channels.items())
        table.add_row(
            Text(persona.id, style="bold"),
            f"{persona.market.value}, {persona.stage.value}",
            f"{persona.size:,}",
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


def channels_json(workspace: Workspace) -> str:
    channels = workspace.channels.values()
    return _json(
        [{**c.model_dump(mode="json"), "origin": workspace.origin(c.id)} for c in channels]
    )


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
