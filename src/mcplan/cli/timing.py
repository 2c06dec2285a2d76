"""`mcplan timing`: when each persona opens or clicks, learned from an engagement export."""

from __future__ import annotations

from typing import Annotated

import typer

from mcplan.cli.app import (
    AliasOption,
    WorkspaceOption,
    app,
    column_option,
    errors,
    load,
    one_of,
    pairs,
)
from mcplan.cli.attribute import DateFormatOption, DecimalOption, MemoryOption
from mcplan.cli.formats import Formats, emit, format_option

EMITTERS = Formats("mcplan.output.timing", "EMITTERS", ("text", "json", "markdown", "html"))

ExportArgument = Annotated[
    str,
    typer.Argument(
        help="Engagement export: a CSV or Parquet file (or a folder or glob of Parquet files) "
        "with a row per message sent (persona, channel, sent_at, opened_at, clicked_at) or a "
        "row per persona, channel, local weekday and hour (sent, opened, clicked).",
        metavar="EXPORT",
        show_default=False,
    ),
]
MetricOption = Annotated[
    str | None,
    typer.Option(
        "--metric",
        parser=one_of(["open", "click"]),
        metavar="open|click",
        help="What to learn from: opens or clicks. Default: opens on a channel whose rows "
        "have any, clicks otherwise.",
        show_default=False,
    ),
]
ColumnOption = Annotated[
    list[str] | None,
    column_option("persona, channel, sent_at, opened_at, clicked_at, weekday, hour or sends"),
]


@app.command("timing")
def timing_command(
    export: ExportArgument,
    metric: MetricOption = None,
    output_format: Annotated[str, format_option(EMITTERS)] = "text",
    column: ColumnOption = None,
    alias: AliasOption = None,
    date_format: DateFormatOption = None,
    decimal: DecimalOption = None,
    memory_limit: MemoryOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Learn when each persona opens or clicks, per channel, from an engagement export.

    For each persona and channel: the rate per local weekday and hour in the persona's time
    zone (a Beta-Binomial model shrunk towards the channel's other personas), the best slot
    with its 90 % credible interval, the slot its touches use today, the expected gain and
    the probability that the best slot beats it; or, where the data cannot tell yet, about
    how many more sends at varied hours would (see docs/timing.md).
    """
    from mcplan.timing import learn, read_engagement

    ws = load(workspace)
    with errors():
        engagement = read_engagement(
            ws,
            export,
            columns=pairs(column, "--column", "COLUMN=NAME"),
            aliases=pairs(alias, "--alias", "NAME=CHANNEL"),
            date_format=date_format,
            decimal=decimal,
            memory_limit=memory_limit,
        )
        result = learn(ws, engagement, metric)
    emit(EMITTERS, output_format, result)
