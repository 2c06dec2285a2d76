"""The channels and the personas of a workspace, as tables or JSON."""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.table import Table

from mcplan.output import Emitter, Rich
from mcplan.workspace import Direction, PersonaChannel, Workspace


def channels_table(workspace: Workspace) -> Table:
    currency = workspace.settings.currency
    table = Table(title="Channels", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("id", style="bold")
    table.add_column("dir.")
    table.add_column(f"{currency}/contact", justify="right")
    table.add_column(f"fixed {currency}", justify="right")
    table.add_column("open", justify="right")
    table.add_column("click", justify="right")
    table.add_column("conv.", justify="right")
    table.add_column("days")
    table.add_column("hours")
    table.add_column("holidays")
    table.add_column("consent b2c/b2b")
    table.add_column("from")
    for channel in workspace.channels.values():
        table.add_row(
            channel.id,
            "out" if channel.direction is Direction.OUTBOUND else "in",
            f"{channel.cost_per_contact:g}",
            f"{channel.fixed_cost:g}",
            f"{channel.rates.open:.0%}",
            f"{channel.rates.click:.0%}",
            f"{channel.rates.conversion:.2%}",
            channel.window.days_text(),
            channel.window.hours_text(),
            "yes" if channel.window.holidays else "no",
            f"{channel.consent.b2c.value}/{channel.consent.b2b.value}",
            workspace.origin(channel.id),
        )
    return table


def personas_table(workspace: Workspace) -> Table:
    table = Table(title="Personas", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("id", style="bold")
    table.add_column("market")
    table.add_column("stage")
    table.add_column("size", justify="right")
    table.add_column("channel")
    table.add_column("reach", justify="right")
    table.add_column("affinity", justify="right")
    table.add_column("consent")
    for persona in workspace.personas.values():
        links: list[tuple[str, PersonaChannel | None]] = [*persona.channels.items()] or [("", None)]
        for n, (channel_id, link) in enumerate(links):
            table.add_row(
                persona.id if n == 0 else "",
                persona.market.value if n == 0 else "",
                persona.stage.value if n == 0 else "",
                f"{persona.size:,}" if n == 0 else "",
                channel_id,
                f"{link.reach:.0%}" if link else "",
                f"{link.affinity:.0%}" if link else "",
                link.consent.value if link else "",
                end_section=n == len(links) - 1,
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
    "text": lambda workspace: Rich([channels_table(workspace)]),
    "json": channels_json,
}
PERSONAS: dict[str, Emitter[Workspace]] = {
    "text": lambda workspace: Rich([personas_table(workspace)]),
    "json": personas_json,
}
