"""Attribute a touchpoint export: read it, run the models, and take each channel's cost from a
campaign's plan or from the export itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mcplan.attribution.arrays import Paths
from mcplan.attribution.models import Attribution, Options, attribute
from mcplan.errors import UsageError
from mcplan.tabular import currency_markers
from mcplan.workspace import Workspace


@dataclass(frozen=True)
class Attributed:
    """What every model attributed, each channel's cost when known, in the workspace currency."""

    results: Sequence[Attribution]
    costs: Mapping[str, float] | None = None
    currency: str = ""


def attribute_file(
    path: Path | str,
    *,
    workspace: Workspace | None = None,
    models: Sequence[str] = ("all",),
    options: Options | None = None,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    separator: str = ">",
    campaign: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "duckdb",
    memory_limit: str | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> Attributed:
    """Read an export (touches or paths: a CSV or Parquet file, a folder or a glob of Parquet
    files) and attribute it by ``models``.

    ``engine`` aggregates the touches into paths (`mcplan.attribution.engines`): DuckDB out
    of core under ``memory_limit``, the row reader in memory, or Spark. Inside a workspace,
    channel names map to its channel ids. ``campaign`` takes each channel's cost from that
    campaign's plan; otherwise a cost column of the export gives it. ``decimal`` is the
    export's decimal mark, for numbers such as ``1,234`` its other numbers do not settle;
    ``date_format`` a strftime pattern its times are written in (``%d/%m/%Y %H:%M``).
    """
    from mcplan.attribution.engines import read_events

    settings = workspace.settings if workspace is not None else None
    options = options or Options()
    paths = read_events(
        str(path),
        engine=engine,
        known=workspace.channel_lookup() if workspace is not None else None,
        columns=columns,
        aliases=aliases,
        separator=separator,
        currencies=currency_markers(settings.currency, settings.locale) if settings else (),
        half_life_days=options.half_life_days,
        memory_limit=memory_limit,
        decimal=decimal,
        date_format=date_format,
    )
    results = attribute(paths, list(models), options, progress)
    return Attributed(
        results,
        _costs(workspace, campaign, paths),
        settings.currency if settings is not None else "",
    )


def _costs(
    workspace: Workspace | None, campaign: str | None, paths: Paths
) -> dict[str, float] | None:
    if campaign is not None:
        if workspace is None:
            raise UsageError("--campaign needs a workspace (--workspace DIR)")
        from mcplan.plan import plan  # the planner is only needed for this

        [result] = plan(workspace, [campaign])
        return {c.channel: c.funnel.cost for c in result.channels}
    if paths.costs is not None:
        return dict(zip(paths.channels, paths.costs, strict=True))
    return None
