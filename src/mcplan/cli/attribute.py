"""`mcplan attribute`: which channels earned the conversions of a touchpoint export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcplan.cli.app import (
    AliasOption,
    ForceOption,
    WorkspaceOption,
    app,
    column_option,
    echo,
    errors,
    fail,
    pairs,
    progress,
)
from mcplan.cli.formats import Formats, emit, format_option
from mcplan.errors import McplanError

if TYPE_CHECKING:
    from mcplan.workspace import Workspace

EMITTERS = Formats("mcplan.output.attribution", "EMITTERS", ("text", "json", "csv"))

FileArgument = Annotated[
    str | None,
    typer.Argument(
        help="Touchpoint export: a CSV or Parquet file, a folder of Parquet files (partitioned "
        "or not) or a glob ('events/*.parquet'); one row per touch or conversion, or one row "
        "per path.",
        metavar="EXPORT",
        show_default=False,
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="What aggregates the touches into paths: duckdb (out of core, in this process), "
        "memory (the row reader), or spark (a SparkSession: pip install 'mcplan[spark]').",
    ),
]
MemoryOption = Annotated[
    str | None,
    typer.Option(
        "--memory-limit",
        help="DuckDB's memory limit, such as 2GB (beyond it, it spills to a temporary "
        "folder). Default: half of this machine's memory.",
        show_default=False,
    ),
]
SqlOption = Annotated[
    str | None,
    typer.Option(
        "--sql",
        help="Print the aggregation as SQL for spark, bigquery, snowflake or duckdb, to run "
        "where the data is; its result is a paths file that mcplan attribute reads.",
        show_default=False,
    ),
]
DecimalOption = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        metavar="MARK",
        help="The export's decimal mark, . or , (for numbers such as 1,234 that the file's "
        "other numbers do not settle).",
        show_default=False,
    ),
]
DateFormatOption = Annotated[
    str | None,
    typer.Option(
        "--date-format",
        metavar="PATTERN",
        help="How the export writes its times, as a strftime pattern: '%d/%m/%Y %H:%M' for "
        "02/07/2027 15:00 (2 July), '%m/%d/%Y %I:%M %p' for an American export. ISO 8601 "
        "and seconds since 1970 are always read.",
        show_default=False,
    ),
]
TableOption = Annotated[
    str, typer.Option("--table", help="With --sql: the table of touches the query reads.")
]
ModelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        "-m",
        help="first, last, linear, time_decay, position, markov, shapley, or all "
        "(repeatable). Default: all.",
        show_default=False,
    ),
]
HalfLifeOption = Annotated[
    float, typer.Option("--half-life", help="Time decay: half-life in days.", min=0.001)
]
PositionsOption = Annotated[
    str, typer.Option("--positions", help="Position-based shares: first,middle,last in %.")
]
OrderOption = Annotated[int, typer.Option("--order", help="Markov chain order.", min=1, max=4)]
ColumnOption = Annotated[
    list[str] | None,
    column_option(
        "journey, time, channel, event, value, cost, path, conversions or null",
    ),
]
SeparatorOption = Annotated[str, typer.Option("--separator", help="Between the steps of a path.")]
CampaignOption = Annotated[
    str | None,
    typer.Option(
        "--campaign",
        help="Take each channel's cost from this campaign's plan, for cost per conversion "
        "and ROI (a cost column in the export does the same).",
        show_default=False,
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option(
        "--plot",
        help="Also draw a bar chart into FILE.png or FILE.svg (needs matplotlib).",
        dir_okay=False,
        show_default=False,
    ),
]


@app.command("attribute")
def attribute_command(
    file: FileArgument = None,
    model: ModelOption = None,
    half_life: HalfLifeOption = 7.0,
    positions: PositionsOption = "40,20,40",
    order: OrderOption = 1,
    column: ColumnOption = None,
    alias: AliasOption = None,
    separator: SeparatorOption = ">",
    campaign: CampaignOption = None,
    output_format: Annotated[str, format_option(EMITTERS)] = "text",
    plot_file: PlotOption = None,
    force: ForceOption = False,
    engine: EngineOption = "duckdb",
    memory_limit: MemoryOption = None,
    sql: SqlOption = None,
    table: TableOption = "touches",
    decimal: DecimalOption = None,
    date_format: DateFormatOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Share the conversions of a touchpoint export among the channels, by several models.

    First and last touch, linear, time decay, position-based (U-shaped), Markov chain removal
    effect and Shapley value; totals always equal the observed conversions. Inside a workspace,
    channel names map to its channel ids (utm_source values of rendered links map back).
    """
    from mcplan.attribution import Options
    from mcplan.attribution.run import attribute_file
    from mcplan.output.attribution import plot

    columns = pairs(column, "--column", "ROLE=NAME")
    if sql is not None:
        _print_query(sql, table, columns, half_life, date_format)
        return
    if file is None:
        fail("give the export to attribute (or --sql DIALECT to print the query)")
    ws = _optional_workspace(workspace)
    with errors(), progress("attributing") as advance:
        attributed = attribute_file(
            file,
            engine=engine,
            memory_limit=memory_limit,
            workspace=ws,
            models=model or ["all"],
            options=Options(half_life, _positions(positions), order),
            columns=columns,
            aliases=pairs(alias, "--alias", "NAME=CHANNEL"),
            separator=separator,
            campaign=campaign,
            progress=advance,
            decimal=decimal,
            date_format=date_format,
        )
        if plot_file is not None:
            plot(attributed.results, plot_file, force=force, root=None if ws is None else ws.root)
    emit(EMITTERS, output_format, attributed)


def _print_query(
    dialect: str, table: str, columns: dict[str, str], half_life: float, date_format: str | None
) -> None:
    """`--sql`: the aggregation in a dialect, to run where the data is, instead of attributing."""
    from mcplan.attribution.sql import printed

    with errors():
        echo(printed(columns, half_life, dialect, table, date_format), nl=False)


def _optional_workspace(workspace: Path | None) -> Workspace | None:
    """The workspace when there is one (given, or found upwards); attribution works without."""
    from mcplan import numbers
    from mcplan.workspace import load_workspace

    try:
        return load_workspace(workspace, discover=workspace is None, its_locale=True)
    except McplanError as exc:
        if workspace is not None:
            fail(str(exc))
        numbers.set_locale(None)  # no workspace: numbers as without one
        return None


def _positions(text: str) -> tuple[float, float, float]:
    try:
        first, middle, last = (float(x) / 100 for x in text.split(","))
        if min(first, middle, last) < 0:
            raise ValueError
    except ValueError:
        fail(f"--positions expects three percentages such as 40,20,40, not '{text}'")
    return first, middle, last
