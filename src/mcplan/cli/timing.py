"""`mcplan timing`: when each persona opens or clicks, learned from an engagement export."""

from __future__ import annotations

from typing import Annotated

import typer

from mcplan.cli.app import (
    AliasOption,
    WorkspaceOption,
    app,
    column_option,
    echo,
    errors,
    load,
    one_of,
    pairs,
    say,
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
WriteOption = Annotated[
    bool,
    typer.Option(
        "--write",
        help="Write each persona's learned send times (those with enough data) into its file "
        "as send_times, keeping comments and formatting; plan then sends at them.",
    ),
]
DiffOption = Annotated[
    bool,
    typer.Option(
        "--diff", help="Print only what --write would change (a unified diff); change nothing."
    ),
]
ColumnOption = Annotated[
    list[str] | None,
    column_option(
        "persona, channel, sent_at, opened_at, clicked_at (a row per send), or weekday, hour,"
        " sent, opened, clicked (aggregated)"
    ),
]


@app.command("timing")
def timing_command(
    export: ExportArgument,
    metric: MetricOption = None,
    output_format: Annotated[str, format_option(EMITTERS)] = "text",
    write: WriteOption = False,
    diff: DiffOption = False,
    column: ColumnOption = None,
    alias: AliasOption = None,
    date_format: DateFormatOption = None,
    decimal: DecimalOption = None,
    memory_limit: MemoryOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Learn when each persona opens or clicks, per channel, from an engagement export.

    For each persona and channel: the rate per local weekday and hour in the persona's time
    zone (a Beta-Binomial model shrunk towards the channel's profile and the persona's own
    level), the best slot
    with its 90 % credible interval, the slot its touches use today, the expected gain and
    the probability that the best slot beats it; or, where the data cannot tell yet, about
    how many more sends at varied hours would (see docs/timing.md). With --write, the slots
    with enough data go into the persona files (`send_times`), and `plan` sends at them.
    """
    from mcplan.timing import learn, read_engagement
    from mcplan.timing.write import apply_send_times, changes, left_out

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
        if diff:
            echo("".join(c.diff() for c in changes(ws, result.send_times)), nl=False)
        else:
            emit(EMITTERS, output_format, result)
        written = apply_send_times(ws, result.send_times) if write and not diff else []
    for change in written:
        say(f"updated {change.file}")
    if write or diff:
        for why in left_out(ws, result.send_times):
            say(f"not written: {why}")
