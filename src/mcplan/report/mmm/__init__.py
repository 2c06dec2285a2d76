"""`mcplan report --mmm meridian|robyn`: the campaigns' results exports as the weekly table a
media-mix model reads, so that a team can calibrate one with its campaigns.

`spread` puts each export's rows on days and geos (a campaign's results give a channel's
figures, the campaign's touches or the export's date column their day, its personas their
countries), `journeys` a journey's (each send step's figures over the days of its period),
`weekly` adds them up by ISO week and lays them out for Google Meridian or Meta Robyn. The
workspace's exports are ``results/<id>.csv`` (or ``.parquet``) of a campaign or a journey,
the name the README's example gives; or one's export named on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.printable import printable
from mcplan.report.journey.export import read_journey_export
from mcplan.report.mmm.journeys import journey_pieces
from mcplan.report.mmm.spread import Campaigned, Piece, Spreader, paid
from mcplan.report.mmm.weekly import TOOLS, Cell, Weeks, weeks_of
from mcplan.report.results import read_export
from mcplan.suggest import did_you_mean
from mcplan.tabular import time_pattern
from mcplan.workspace import Workspace
from mcplan.workspace.campaign import Campaign
from mcplan.workspace.countries import country_of
from mcplan.workspace.journey import Journey

RESULTS = "results"  # the workspace's folder of results exports
SUFFIXES = (".csv", ".parquet")
NATIONAL = "national"  # the one geo of a workspace whose personas live in one country
UNKNOWN = "unknown"  # the geo of a persona without a country, beside others that have one


@dataclass(frozen=True)
class Found:
    """The workspace's results exports: a campaign's or a journey's, by its id; and the files
    left out, why."""

    exports: tuple[tuple[str, Path], ...]
    left_out: tuple[tuple[Path, str], ...]


@dataclass(frozen=True)
class MediaMix:
    """The weekly table of one tool: its header and rows (numbers unrounded), and what it was
    made of."""

    tool: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    currency: str  # the amounts' currency: the workspace's
    campaigns: tuple[str, ...]  # the campaigns' and journeys' ids, in the order read
    revenue: bool  # whether every export gives revenue (else no revenue column)


def workspace_exports(workspace: Workspace) -> Found:
    """The exports in the workspace's ``results/`` folder, by file name (a campaign's or a
    journey's id), in the order of their names; a file named after neither is left out."""
    folder = workspace.root / RESULTS
    if not folder.is_dir():
        return Found((), ())
    exports, left_out = [], []
    for path in sorted(_named(p) for p in folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        if path.stem in workspace.campaigns or path.stem in workspace.journeys:
            exports.append((path.stem, path))
        else:
            hint = did_you_mean(path.stem, [*workspace.campaigns, *workspace.journeys])
            left_out.append((path, f"no campaign or journey '{path.stem}'{hint}"))
    _one_each(exports)
    return Found(tuple(exports), tuple(left_out))


def _one_each(exports: Sequence[tuple[str, Path]]) -> None:
    """Refuse two exports of one campaign or journey (``x.csv`` and ``x.parquet``): both
    read, its results would count twice."""
    files: dict[str, list[Path]] = {}
    for found, path in exports:
        files.setdefault(found, []).append(path)
    for found, paths in files.items():
        if len(paths) > 1:
            named = " and ".join(f"{RESULTS}/{p.name}" for p in paths)
            raise UsageError(
                f"{named} are both the results of '{found}': keep one (both read, its "
                "results would count twice)"
            )


def _named(path: Path) -> Path:
    """``path`` from the working folder (``results/x.csv`` in the workspace), not the
    machine's absolute path: a reader's problems name the file in messages and CI logs.
    As it is where no relative path leads to it (another drive, on Windows)."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path


def media_mix(
    workspace: Workspace,
    exports: Sequence[tuple[str, Path]],
    tool: str,
    *,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> MediaMix:
    """The weekly table ``tool`` (``meridian`` or ``robyn``) reads, from each export (a
    campaign's or a journey's id, its file), each read as `mcplan report` reads it with the
    options given (``aliases`` for a campaign's). Raises :class:`UsageError` for an unknown
    tool or id, no export, or an export that does not say what the table needs (naming its file
    and row)."""
    if tool not in TOOLS:
        raise UsageError(f"unknown media-mix tool '{tool}'; known: {', '.join(TOOLS)}")
    if not exports:
        raise UsageError(
            "no results export to read: put each campaign's (or journey's) in results/<id>.csv, "
            "or give one's id and its --results"
        )
    geo_of = _geos(workspace)
    pieces: list[Piece] = []
    for found, path in exports:
        spreader = Spreader(workspace, printable(str(path)), geo_of)
        outreach = find_outreach(workspace, found)
        if isinstance(outreach, Journey):
            export = read_journey_export(
                path, workspace, outreach, columns=columns, decimal=decimal,
                date_format=date_format,
            )  # fmt: skip
            pieces += journey_pieces(spreader, outreach, export)
        else:
            results = read_export(
                path, workspace, columns=columns, aliases=aliases, decimal=decimal,
                date_format=date_format,
            )  # fmt: skip
            pieces += Campaigned(spreader, outreach, time_pattern(date_format)).pieces(results)
    weeks = weeks_of(pieces, lambda c: paid(workspace, c), _population(workspace, geo_of))
    header, rows = TOOLS[tool](weeks)
    return MediaMix(
        tool,
        tuple(header),
        tuple(tuple(row) for row in rows),
        workspace.settings.currency,
        tuple(found for found, _ in exports),
        weeks.revenue is not None,
    )


def find_outreach(workspace: Workspace, id_: str) -> Campaign | Journey:
    """The campaign or journey of an export; an error for one with errors, or an unknown id
    (with the closest)."""
    found = workspace.campaigns.get(id_) or workspace.journeys.get(id_)
    if found is None:
        for kind, folder in (("campaign", "campaigns"), ("journey", "journeys")):
            if workspace.exists(folder, id_):
                raise UsageError(f"{kind} '{id_}' has errors; run `mcplan validate`")
        hint = did_you_mean(id_, [*workspace.campaigns, *workspace.journeys])
        raise UsageError(f"unknown campaign or journey '{id_}'{hint}")
    return found


def _geos(workspace: Workspace) -> Callable[[str], str]:
    """Each persona's geo: its country; ``national`` when the workspace's personas live in one
    country (or none says where)."""
    countries = {p.id: country_of(p) for p in workspace.personas.values()}
    if len(set(countries.values())) <= 1:
        return lambda persona: NATIONAL
    return lambda persona: countries.get(persona) or UNKNOWN


def _population(workspace: Workspace, geo_of: Callable[[str], str]) -> dict[str, int]:
    """Each geo's population: the contacts of the workspace's personas in it."""
    population: dict[str, int] = {}
    for persona in workspace.personas.values():
        geo = geo_of(persona.id)
        population[geo] = population.get(geo, 0) + persona.size
    return population


__all__ = [
    "Found",
    "MediaMix",
    "Piece",
    "Weeks",
    "find_outreach",
    "media_mix",
    "workspace_exports",
]
