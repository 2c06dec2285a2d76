"""Commands for after launch: attribute, report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from mcplan.cli.app import (
    ForceOption,
    WorkspaceOption,
    app,
    fail,
    load,
    note_problems,
    say,
    terminal,
)
from mcplan.errors import McplanError, UsageError
from mcplan.workspace import Workspace, load_workspace


class AttributionFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


@app.command()
def attribute(
    file: Annotated[
        Path,
        typer.Argument(
            help="Touchpoint export (CSV, or Parquet with pyarrow): one row per touch or "
            "conversion, or one row per path.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="first, last, linear, time_decay, position, markov, shapley, or all "
            "(repeatable). Default: all.",
            show_default=False,
        ),
    ] = None,
    half_life: Annotated[
        float, typer.Option("--half-life", help="Time decay: half-life in days.", min=0.001)
    ] = 7.0,
    positions: Annotated[
        str,
        typer.Option("--positions", help="Position-based shares: first,middle,last in %."),
    ] = "40,20,40",
    order: Annotated[int, typer.Option("--order", help="Markov chain order.", min=1, max=4)] = 1,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            help="ROLE=NAME: the column for journey, time, channel, event, value, cost, path, "
            "conversions or null (repeatable).",
            show_default=False,
        ),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias",
            help="NAME=CHANNEL: map a channel name of the export to a channel id (repeatable).",
            show_default=False,
        ),
    ] = None,
    separator: Annotated[str, typer.Option("--separator", help="Between the steps of a path.")] = (
        ">"
    ),
    campaign: Annotated[
        str | None,
        typer.Option(
            "--campaign",
            help="Take each channel's cost from this campaign's plan, for cost per conversion "
            "and ROI (a cost column in the export does the same).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        AttributionFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = AttributionFormat.TABLE,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also draw a bar chart into FILE.png or FILE.svg (needs matplotlib).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Share the conversions of a touchpoint export among the channels, by several models.

    First and last touch, linear, time decay, position-based (U-shaped), Markov chain removal
    effect and Shapley value; totals always equal the observed conversions. Inside a workspace,
    channel names map to its channel ids (utm_source values of rendered links map back).
    """
    from mcplan.attribution import Options, read
    from mcplan.attribution import attribute as run_models
    from mcplan.output import attribution as attribution_report

    ws = _optional_workspace(workspace)
    try:
        shares = [float(x) / 100 for x in positions.split(",")]
        if len(shares) != 3 or min(shares) < 0:
            raise ValueError
    except ValueError:
        fail(f"--positions expects three percentages such as 40,20,40, not '{positions}'")
    try:
        known = ws.channel_lookup() if ws is not None else None
        journeys = read(
            file,
            known=known,
            columns=_pairs(column or [], "--column", "ROLE=NAME"),
            aliases=_pairs(alias or [], "--alias", "NAME=CHANNEL"),
            separator=separator,
        )
        options = Options(half_life, (shares[0], shares[1], shares[2]), order)
        results = run_models(journeys, model or ["all"], options)
        costs = _attribution_costs(ws, campaign, journeys)
        if plot is not None:
            if plot.exists() and not force:
                raise UsageError(f"{plot} already exists; add --force to overwrite it")
            attribution_report.plot(results, plot)
    except McplanError as exc:
        fail(str(exc))
    if output_format is AttributionFormat.JSON:
        typer.echo(attribution_report.as_json(results, costs), nl=False)
    elif output_format is AttributionFormat.CSV:
        typer.echo(attribution_report.as_csv(results, costs), nl=False)
    else:
        currency = ws.settings.currency if ws is not None else ""
        for block in attribution_report.tables(results, costs, currency):
            terminal().print(block)


def _optional_workspace(workspace: Path | None) -> Workspace | None:
    """The workspace when there is one (given, or found upwards); attribution works without."""
    try:
        return load_workspace(workspace, discover=workspace is None)
    except McplanError as exc:
        if workspace is not None:
            fail(str(exc))
        return None


def _pairs(values: list[str], option: str, form: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, _, target = value.partition("=")
        if not key.strip() or not target.strip():
            fail(f"{option} expects {form}, got '{value}'")
        pairs[key.strip()] = target.strip()
    return pairs


def _attribution_costs(
    ws: Workspace | None, campaign: str | None, journeys: Any
) -> dict[str, float] | None:
    if campaign is not None:
        if ws is None:
            raise UsageError("--campaign needs a workspace (--workspace DIR)")
        from mcplan.plan import plan as make_plans

        [result] = make_plans(ws, [campaign])
        return {c.channel: c.funnel.cost for c in result.channels}
    if journeys.costs is not None:
        return dict(zip(journeys.channels, journeys.costs, strict=True))
    return None


@app.command()
def report(
    campaign: Annotated[
        str, typer.Argument(help="Campaign id.", metavar="CAMPAIGN", show_default=False)
    ],
    results: Annotated[
        Path,
        typer.Option(
            "--results",
            "-r",
            help="CSV file of results per channel: channel and converted are required; sent, "
            "delivered, opened, clicked, revenue, cost are optional (French headers and `;` "
            "work too).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    output_format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="table, json or markdown (for a debrief)."),
    ] = ReportFormat.TABLE,
    workspace: WorkspaceOption = None,
) -> None:
    """Compare a campaign's results with its plan, and say which channels to widen or drop.

    Each objective is measured the way the plan forecasts it; each channel gets widen, keep,
    drop (or try, for a channel the plan did not choose) with its reason.
    """
    from mcplan.output import review as review_report
    from mcplan.plan import plan as make_plans
    from mcplan.review.compare import compare
    from mcplan.review.results import read_results

    ws = load(workspace)
    note_problems(ws)
    try:
        [forecast] = make_plans(ws, [campaign])
        review = compare(forecast, read_results(results, ws), ws)
    except McplanError as exc:
        fail(str(exc))
    if forecast.findings:
        say("the campaign cannot be planned: every channel is reviewed as not in the plan")
    if output_format is ReportFormat.JSON:
        typer.echo(review_report.as_json(review), nl=False)
    elif output_format is ReportFormat.MARKDOWN:
        typer.echo(review_report.as_markdown(review, ws), nl=False)
    else:
        console = terminal()
        for block in review_report.tables(review, ws):
            console.print(block)
