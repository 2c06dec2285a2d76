"""`mcplan report --mmm meridian|robyn`: the campaigns' results as a media-mix model's weekly
table, on stdout or in the file ``--output`` names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mcplan.cli.app import echo, errors, load, note_problems, say

if TYPE_CHECKING:
    from mcplan.workspace import Workspace


@dataclass(frozen=True)
class Reading:
    """How every export is read: ``--column``, ``--alias``, ``--decimal``, ``--date-format``."""

    columns: dict[str, str]
    aliases: dict[str, str]
    decimal: str | None
    date_format: str | None


def media_mix_command(
    tool: str,
    campaign: str | None,
    results: Path | None,
    reading: Reading,
    output: Path | None,
    force: bool,
    workspace: Path | None,
) -> None:
    """Read the exports (one campaign's, or the workspace's), write the table."""
    from mcplan.output.report.mmm import as_csv
    from mcplan.report.mmm import media_mix
    from mcplan.writing import write_file

    ws = load(workspace)
    note_problems(ws)
    with errors():
        exports = _exports(ws, campaign, results)
        mix = media_mix(
            ws,
            exports,
            tool.strip().casefold(),
            columns=reading.columns,
            aliases=reading.aliases,
            decimal=reading.decimal,
            date_format=reading.date_format,
        )
        text = as_csv(mix)
        if output is not None:
            write_file(output, text, force=force, root=ws.root)
    weeks = len({row[1] for row in mix.rows}) if mix.tool == "meridian" else len(mix.rows)
    say(
        f"{mix.tool}: {weeks} weeks from the results of {', '.join(mix.campaigns)}"
        f", amounts in {mix.currency}"
        + ("" if mix.revenue else "; not every export gives revenue: no revenue column")
    )
    if output is None:
        echo(text, nl=False)
    else:
        say(f"wrote {output}")


def _exports(ws: Workspace, campaign: str | None, results: Path | None) -> list[tuple[str, Path]]:
    """The exports to read: the campaign's (``--results``, else ``results/<id>.csv``), or,
    without a campaign, every campaign's in ``results/`` (the others there are named)."""
    from mcplan.errors import UsageError
    from mcplan.report.mmm import find_outreach, workspace_exports

    if campaign is None and results is not None:
        raise UsageError("--results is one campaign's (or journey's) export: give its id before it")
    found = workspace_exports(ws)
    if campaign is None:
        for path, why in found.left_out:
            say(f"{Path(os.path.relpath(path, ws.root)).as_posix()} left out: {why}")
        return list(found.exports)
    find_outreach(ws, campaign)  # an unknown id: an error with the closest
    if results is not None:
        return [(campaign, results)]
    mine = [(c, path) for c, path in found.exports if c == campaign]
    if not mine:
        raise UsageError(
            f"'{campaign}' has no results export: give it with --results FILE, or put it in "
            f"results/{campaign}.csv"
        )
    return mine
