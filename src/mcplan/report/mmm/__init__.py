"""`mcplan report --mmm meridian|robyn`: the campaigns' results exports as the weekly table a
media-mix model reads, so that a team can calibrate one with its campaigns.

`spread` puts each export's rows on days and geos (a campaign's results give a channel's
figures, the campaign's touches or the export's date column their day, its personas their
countries), `weekly` adds them up by ISO week and lays them out for Google Meridian or Meta
Robyn. The workspace's exports are ``results/<campaign id>.csv`` (or ``.parquet``), the name
the README's example gives; or one campaign's export named on the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.report.mmm.spread import Piece, paid, spread
from mcplan.report.mmm.weekly import TOOLS, Cell, Weeks, weeks_of
from mcplan.report.results import read_export
from mcplan.suggest import did_you_mean
from mcplan.tabular import time_pattern
from mcplan.workspace import Workspace
from mcplan.workspace.campaign import Campaign
from mcplan.workspace.countries import country_of

RESULTS = "results"  # the workspace's folder of results exports
SUFFIXES = (".csv", ".parquet")
NATIONAL = "national"  # the one geo of a workspace whose personas live in one country
UNKNOWN = "unknown"  # the geo of a persona without a country, beside others that have one


@dataclass(frozen=True)
class Found:
    """The workspace's results exports: a campaign's, by its id; and the files left out, why."""

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
    campaigns: tuple[str, ...]
    revenue: bool  # whether every export gives revenue (else no revenue column)


def workspace_exports(workspace: Workspace) -> Found:
    """The campaigns' exports in the workspace's ``results/`` folder, by file name (a
    campaign's id), in the order of their names; a file named after no campaign is left out."""
    folder = workspace.root / RESULTS
    if not folder.is_dir():
        return Found((), ())
    exports, left_out = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        if path.stem in workspace.campaigns:
            exports.append((path.stem, path))
        elif path.stem in workspace.journeys:
            left_out.append((path, "a journey's export (the media-mix export reads campaigns')"))
        else:
            hint = did_you_mean(path.stem, workspace.campaigns)
            left_out.append((path, f"no campaign '{path.stem}'{hint}"))
    return Found(tuple(exports), tuple(left_out))


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
    """The weekly table ``tool`` (``meridian`` or ``robyn``) reads, from each campaign's export
    (campaign id, file), each read as :func:`mcplan.report.results.read_export` reads it with
    the options given. Raises :class:`UsageError` for an unknown tool or campaign, no export, or
    an export that does not say what the table needs (naming its file and row)."""
    if tool not in TOOLS:
        raise UsageError(f"unknown media-mix tool '{tool}'; known: {', '.join(TOOLS)}")
    if not exports:
        raise UsageError(
            "no results export to read: put each campaign's in results/<campaign>.csv, or give "
            "a campaign and its --results"
        )
    geo_of = _geos(workspace)
    pattern = time_pattern(date_format)
    pieces: list[Piece] = []
    for campaign_id, path in exports:
        campaign = find_campaign(workspace, campaign_id)
        results = read_export(
            path, workspace, columns=columns, aliases=aliases, decimal=decimal,
            date_format=date_format,
        )  # fmt: skip
        pieces += spread(workspace, campaign, path, results, geo_of, pattern)
    weeks = weeks_of(pieces, lambda c: paid(workspace, c), _population(workspace, geo_of))
    header, rows = TOOLS[tool](weeks)
    return MediaMix(
        tool,
        tuple(header),
        tuple(tuple(row) for row in rows),
        workspace.settings.currency,
        tuple(campaign for campaign, _ in exports),
        weeks.revenue is not None,
    )


def find_campaign(workspace: Workspace, campaign_id: str) -> Campaign:
    """The campaign of an export; an error for a journey's id (its export gives steps, not
    the channels' days), one with errors, or an unknown one (with the closest id)."""
    campaign = workspace.campaigns.get(campaign_id)
    if campaign is None:
        if campaign_id in workspace.journeys or workspace.exists("journeys", campaign_id):
            raise UsageError(
                f"'{campaign_id}' is a journey: the media-mix export reads campaigns' results"
            )
        if workspace.exists("campaigns", campaign_id):
            raise UsageError(f"campaign '{campaign_id}' has errors; run `mcplan validate`")
        hint = did_you_mean(campaign_id, workspace.campaigns)
        raise UsageError(f"unknown campaign '{campaign_id}'{hint}")
    return campaign


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
    "find_campaign",
    "media_mix",
    "workspace_exports",
]
