"""Attribution results as rich tables with bars, JSON, CSV, or a chart for a slide."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType

from mcplan.attribution import Attribution
from mcplan.attribution.run import Attributed
from mcplan.errors import UsageError
from mcplan.json_text import json_text
from mcplan.numbers import NONE, amount, count, decimal, number, percent, roi
from mcplan.output import Emitter, Rich
from mcplan.output.grid import BAR, ID, NUMBER, Bar, Grid
from mcplan.words import reader
from mcplan.writing import write_file

NO_TOUCH = "(no touch)"


def rows(result: Attribution, costs: Mapping[str, float] | None) -> list[dict[str, Any]]:
    """One row per channel (and one for conversions with no touch), shares of all conversions."""
    total, total_value = result.total, float(result.value.sum()) + result.unattributed[1]
    out = []
    by_id = sorted(zip(result.channels, result.conversions, result.value, strict=True))
    for channel, conversions, value in by_id:  # by id, as every table; no touch last
        row: dict[str, Any] = {
            "channel": channel,
            "conversions": round(float(conversions), 4),
            "value": round(float(value), 2),
            "share": round(float(conversions) / total, 4) if total else 0.0,
            "value_share": round(float(value) / total_value, 4) if total_value else 0.0,
        }
        if costs is not None:
            cost = costs.get(channel)
            row["cost"] = None if cost is None else round(cost, 2)
            row["cost_per_conversion"] = (
                round(cost / conversions, 2) if cost is not None and conversions else None
            )
            row["roi"] = round((value - cost) / cost, 4) if cost else None
        out.append(row)
    if result.unattributed[0]:
        out.append(
            {
                "channel": NO_TOUCH,
                "conversions": round(result.unattributed[0], 4),
                "value": round(result.unattributed[1], 2),
                "share": round(result.unattributed[0] / total, 4) if total else 0.0,
                "value_share": round(result.unattributed[1] / total_value, 4)
                if total_value
                else 0.0,
            }
        )
    return out


def as_json(attributed: Attributed) -> str:
    results, costs = attributed.results, attributed.costs
    first = results[0]
    data = {
        "total_conversions": round(first.total, 4),
        "total_value": round(float(first.value.sum()) + first.unattributed[1], 2),
        "models": [{"model": r.model, "channels": rows(r, costs)} for r in results],
    }
    return json_text(data)


def as_csv(attributed: Attributed) -> str:
    """The rows for a spreadsheet: plain numbers (``1234.5``, a share as ``0.25``), as JSON
    has them, whatever the workspace's locale, so that every spreadsheet reads them alike."""
    results, costs = attributed.results, attributed.costs
    buffer = io.StringIO()
    fields = ["model", "channel", "conversions", "value", "share", "value_share"]
    if costs is not None:
        fields += ["cost", "cost_per_conversion", "roi"]
    writer = csv.DictWriter(buffer, fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for result in results:
        for row in rows(result, costs):
            cells = {"model": result.model, **row}
            writer.writerow({k: _inert(v) for k, v in cells.items()})
    return buffer.getvalue()


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula


def _inert(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, a channel name
    from the export) starts with a quote, as OWASP advises against CSV injection; numbers
    are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def tables(attributed: Attributed) -> Rich:
    """A table per model with a bar per channel; several models also side by side."""
    results, costs, currency = attributed.results, attributed.costs, attributed.currency
    t = reader()  # the workspace's language; English outside a workspace

    def shown(channel: str) -> str:
        return t.say("no_touch_row") if channel == NO_TOUCH else channel

    out: list[RenderableType] = []
    if len(results) > 1:
        side = Grid(
            t.say("attributed_by_model"),
            [(t.say("col_channel"), ID), *((result.model, NUMBER) for result in results)],
        )
        by_model = [{r["channel"]: r for r in rows(result, None)} for result in results]
        for channel in by_model[0]:
            side.add_row(shown(channel), *(decimal(m[channel]["conversions"], 1) for m in by_model))
        out.append(side)
    for result in results:
        columns = [(t.say("col_channel"), ID), (t.say("col_conversions"), NUMBER),
                   (t.say("col_value_in", currency=currency), NUMBER),
                   (t.say("col_share"), NUMBER), ("", BAR)]  # fmt: skip
        if costs is not None:
            columns += [(t.say("col_cost_in", currency=currency), NUMBER),
                        (t.say("col_per_conversion_in", currency=currency), NUMBER),
                        (t.say("col_roi"), NUMBER)]  # fmt: skip
        total = t.count("conversions", result.total, count(result.total))
        table = Grid(f"{result.model}: {total}", columns)
        for row in rows(result, costs):
            cells: list[Any] = [
                shown(row["channel"]),
                decimal(row["conversions"], 1),
                amount(row["value"]),
                percent(row["share"], 1),
                Bar(row["share"]),
            ]
            if costs is not None:
                cells += [
                    amount(row.get("cost")),
                    amount(row.get("cost_per_conversion")),
                    NONE if row.get("roi") is None else roi(row["roi"]),
                ]
            table.add_row(*cells)
        out.append(table)
    return Rich([Group(*out)])


def plot(
    results: Sequence[Attribution], target: Path, *, force: bool = False, root: Path | None = None
) -> None:
    """A grouped bar chart of the conversions per channel and model, as PNG or SVG, written
    as every output is (:func:`mcplan.writing.write_file`; ``root``: the workspace)."""
    if os.path.lexists(target) and not force:  # before drawing; write_file checks again
        raise UsageError(f"{target} already exists; add --force to overwrite it")
    if target.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"--plot writes .png or .svg files, not {target.suffix or 'no suffix'}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError:
        raise UsageError("--plot needs matplotlib (pip install 'mcplan[plot]')") from None
    channels = list(results[0].channels)
    width = 0.8 / len(results)
    figure, axes = plt.subplots(figsize=(max(6, len(channels) * 1.2), 4))
    for i, result in enumerate(results):
        positions = [c + i * width - 0.4 + width / 2 for c in range(len(channels))]
        axes.bar(positions, result.conversions, width, label=result.model)
    axes.set_xticks(range(len(channels)), channels, rotation=30, ha="right")
    axes.set_ylabel("attributed conversions")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(value, 2)))  # 1,5 in fr
    axes.legend(fontsize="small")
    figure.tight_layout()
    # No date in the file: the same results give the same bytes.
    metadata = {"Date": None} if target.suffix.lower() == ".svg" else {"Software": None}
    drawn = io.BytesIO()
    figure.savefig(drawn, format=target.suffix.lower()[1:], metadata=metadata)
    plt.close(figure)
    write_file(target, drawn.getvalue(), force=force, root=root)


EMITTERS: dict[str, Emitter[Attributed]] = {"text": tables, "json": as_json, "csv": as_csv}
