"""The ``mcplan`` command line: parse options, call the library, report, exit.

Exit codes are a contract with CI: 0 success, 1 findings, 2 usage error or unreadable input.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from mcplan import __version__
from mcplan.errors import McplanError, UsageError
from mcplan.files import write_atomic
from mcplan.lint import baseline as baseline_file
from mcplan.lint.engine import LintResult, fails
from mcplan.lint.engine import lint as run_lint
from mcplan.models.settings import FailLevel
from mcplan.render import Rendering, render_campaign
from mcplan.render.output import write_versions
from mcplan.report import findings as findings_report
from mcplan.report import lint as lint_report
from mcplan.report import render as render_report
from mcplan.report.eml import eml
from mcplan.report.tables import channels_table, personas_table
from mcplan.schema import KINDS, schema_text, write_schemas
from mcplan.validate import validate as validate_workspace
from mcplan.workspace import Workspace, load_workspace

app = typer.Typer(
    name="mcplan",
    help="Plan, render and lint multichannel marketing campaigns kept as YAML files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

USAGE_ERROR = 2

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="MCPLAN_WORKSPACE",
        help="Workspace folder. Default: the nearest folder at or above the current one "
        "with an mcplan.toml or a personas/, campaigns/ or channel_rules/ folder.",
        file_okay=False,
        show_default=False,
    ),
]


class FindingsFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class TableFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class RenderFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"


ChannelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--channel",
        "-c",
        help="Only this channel (repeat for several). Default: the campaign's channels.",
        show_default=False,
    ),
]
PersonaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--persona",
        "-p",
        help="Only this persona, rendered on its own (repeat for several).",
        show_default=False,
    ),
]


class PlanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    YAML = "yaml"
    MARKDOWN = "markdown"


class AttributionFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


class LintFormat(StrEnum):
    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    JUNIT = "junit"


ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite files that are already there.")
]


def _out() -> Console:
    # Piped output (CI logs, files) is not cut at 80 columns unless COLUMNS says so.
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160
    return console


def _say(message: str) -> None:
    """A status line on stderr, so stdout stays clean for what the command produces."""
    typer.echo(f"mcplan: {message}", err=True)


def _fail(message: str) -> NoReturn:
    _say(f"error: {message}")
    raise typer.Exit(USAGE_ERROR)


def _load(workspace: Path | None) -> Workspace:
    try:
        return load_workspace(workspace, discover=workspace is None)
    except McplanError as exc:
        _fail(str(exc))


def _print_json(rows: list[dict[str, object]]) -> None:
    typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))


def _note_problems(ws: Workspace) -> None:
    if ws.findings:
        _say(
            f"some files could not be loaded ({findings_report.summary(ws.findings)}) and "
            "are left out; run `mcplan validate` for details"
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mcplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan, render and lint multichannel marketing campaigns kept as YAML files.

    Personas, campaigns and channel rules live in a workspace folder (personas/, campaigns/,
    channel_rules/, mcplan.toml). Exit codes: 0 success, 1 findings, 2 usage error or
    unreadable input.
    """


@app.command()
def validate(
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        FindingsFormat,
        typer.Option("--format", "-f", help="text: one line per finding; json: a list."),
    ] = FindingsFormat.TEXT,
) -> None:
    """Check that every file loads and every reference resolves.

    Reports every problem in one pass as `file:line:col: level CODE message`, sorted. Exit
    code 0 when valid, 1 when there are errors, 2 when a file cannot be read.
    """
    ws = _load(workspace)
    found = validate_workspace(ws)
    if output_format is FindingsFormat.JSON:
        typer.echo(findings_report.as_json(found))
    elif found:
        typer.echo(findings_report.as_text(found))
    code = findings_report.exit_code(found)
    if code == 0:
        _say(
            f"workspace valid: {len(ws.personas)} personas, {len(ws.campaigns)} campaigns, "
            f"{len(ws.channels)} channels"
            + (f" ({findings_report.summary(found)})" if found else "")
        )
    else:
        _say(findings_report.summary(found))
    raise typer.Exit(code)


@app.command()
def channels(
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table or json.")
    ] = TableFormat.TABLE,
) -> None:
    """List the channels known: bundled ones and the workspace's own, with cost, window and
    consent."""
    ws = _load(workspace)
    if output_format is TableFormat.JSON:
        _print_json(
            [{**c.model_dump(mode="json"), "origin": ws.origin(c.id)} for c in ws.channels.values()]
        )
    else:
        _out().print(channels_table(ws))
    _note_problems(ws)


@app.command()
def personas(
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table or json.")
    ] = TableFormat.TABLE,
) -> None:
    """List the personas: market, stage, size, and channels with reach, affinity and consent."""
    ws = _load(workspace)
    if output_format is TableFormat.JSON:
        _print_json([p.model_dump(mode="json") for p in ws.personas.values()])
    else:
        _out().print(personas_table(ws))
    _note_problems(ws)


@app.command()
def render(
    campaign: Annotated[str, typer.Argument(help="Campaign id.", show_default=False)],
    channel: ChannelOption = None,
    persona: PersonaOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write one file per channel and persona into this folder (email also as "
            ".eml) instead of printing.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        RenderFormat,
        typer.Option("--format", "-f", help="text (panels, or .txt files), json or md."),
    ] = RenderFormat.TEXT,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Render the campaign's core message for each channel, measured against its limits.

    One version per channel, or per persona when a template uses `persona`. Exit code 1 when
    a template could not be rendered (its findings are printed), 0 otherwise, even when a
    text is over a limit (the limits are shown; `mcplan lint` is the gate).
    """
    ws = _load(workspace)
    try:
        result = render_campaign(ws, campaign, channels=channel, personas=persona)
        if out is not None:
            written = _write_render(ws, result, out, output_format, force)
            _say(f"wrote {len(written)} files into {out}")
        elif output_format is RenderFormat.JSON:
            typer.echo(render_report.as_json(result))
        elif output_format is RenderFormat.MD:
            typer.echo(render_report.as_markdown(result, ws), nl=False)
        else:
            console = _out()
            for panel in render_report.panels(result, ws):
                console.print(panel)
    except McplanError as exc:
        _fail(str(exc))
    _finish_rendering(result, output_format is RenderFormat.JSON and out is None)


def _write_render(
    ws: Workspace, result: Rendering, out: Path, output_format: RenderFormat, force: bool
) -> list[Path]:
    if output_format is RenderFormat.JSON:
        return write_versions(
            result,
            out,
            extension="json",
            content=lambda v: (
                json.dumps(render_report.version_dict(v), indent=2, ensure_ascii=False) + "\n"
            ),
            force=force,
        )
    if output_format is RenderFormat.MD:
        return write_versions(
            result,
            out,
            extension="md",
            content=lambda v: render_report.as_markdown(Rendering(result.campaign, [v]), ws),
            force=force,
        )
    return write_versions(
        result,
        out,
        extension="txt",
        content=render_report.version_text,
        extras={"email": lambda v: eml(v, result.campaign.brand)},
        force=force,
    )


def _finish_rendering(result: Rendering, quiet: bool) -> None:
    if result.findings:
        if not quiet:
            typer.echo(findings_report.as_text(result.findings), err=True)
        _say(f"{findings_report.summary(result.findings)}: some versions were not rendered")
        raise typer.Exit(1)


@app.command()
def preview(
    campaign: Annotated[str, typer.Argument(help="Campaign id.", show_default=False)],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="The HTML file to write.", dir_okay=False),
    ] = Path("preview.html"),
    channel: ChannelOption = None,
    persona: PersonaOption = None,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Write one self-contained HTML page showing every version as it will look.

    Each channel's text in a mockup (an SMS on a phone, an email in a mail client, a post, a
    notification on a lock screen, a letter), with its measures and findings beside it. The
    page needs no network: open it in any browser.
    """
    from mcplan.preview import findings_by_version, preview_html

    ws = _load(workspace)
    try:
        result = render_campaign(ws, campaign, channels=channel, personas=persona)
        if out.exists() and not force:
            raise UsageError(f"{out} already exists; add --force to overwrite it")
        beside = findings_by_version(run_lint(ws).findings, result)
        write_atomic(out, preview_html(ws, result, findings=beside))
    except McplanError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {out}: {exc.strerror or exc}")
    _say(f"wrote {out} ({len(result.versions)} versions)")
    _finish_rendering(result, quiet=False)


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Report only findings in these files or folders; the whole workspace is "
            "still checked (contact pressure crosses files).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, concise, json, github, sarif or junit. Default: text, or github when "
            "GITHUB_ACTIONS is set.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            help="FMT=FILE: also write the findings in that format to FILE (repeatable), "
            "e.g. --output sarif=mcplan.sarif.",
            show_default=False,
        ),
    ] = None,
    fail_level: Annotated[
        FailLevel | None,
        typer.Option(
            "--fail-level",
            help="Exit 1 when a finding is at or above: error, warning, info or never. "
            "Default: the workspace's [lint] fail_level, else error.",
            show_default=False,
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report only findings not in this file; when it does not exist, record "
            "today's findings in it.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Record today's findings in the --baseline file."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Check every campaign before it launches: pressure, compliance, one message, limits.

    Loads the whole workspace, expands every touch into dated contacts per persona, renders
    every channel's text, and reports what would go wrong. Exit code 0 when nothing is at or
    above the fail level, 1 when something is, 2 for a usage or configuration error or a file
    that cannot be read.
    """
    ws = _load(workspace)
    outputs = _parse_outputs(output or [])
    if update_baseline and baseline is None:
        _fail("--update-baseline needs --baseline FILE")
    try:
        reported = [_relative(ws, p) for p in paths] if paths else None
        record = baseline is not None and (update_baseline or not baseline.exists())
        result = run_lint(ws, paths=reported, baseline=None if record else baseline)
    except McplanError as exc:
        _fail(str(exc))
    if result.config_errors:
        typer.echo(findings_report.as_text(result.config_errors), err=True)
        _fail("the lint configuration has errors")
    if record:
        assert baseline is not None
        baseline_file.write(baseline, result.findings, baseline_file.SourceLines(ws.root))
        _say(f"recorded {len(result.findings)} findings in {baseline}; from now on only new "
             "ones are reported")  # fmt: skip
        raise typer.Exit(0)
    chosen = output_format or (
        LintFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else LintFormat.TEXT
    )
    findings = result.findings
    if chosen is LintFormat.TEXT:
        lint_report.write_text(findings, _out(), ws.root)
    else:
        typer.echo(lint_report.render(chosen.value, findings, root=ws.root, files=result.files),
                   nl=False)  # fmt: skip
    for fmt, target in outputs:
        try:
            write_atomic(
                target, lint_report.render(fmt, findings, root=ws.root, files=result.files)
            )
        except OSError as exc:
            _fail(f"cannot write {target}: {exc.strerror or exc}")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(lint_report.step_summary(findings))
    _say(_lint_summary(ws, result))
    if any(f.unreadable for f in findings):
        raise typer.Exit(USAGE_ERROR)
    level = (fail_level or ws.settings.lint.fail_level).value
    raise typer.Exit(1 if fails(findings, level) and not exit_zero else 0)


def _parse_outputs(values: list[str]) -> list[tuple[str, Path]]:
    outputs = []
    for value in values:
        fmt, _, target = value.partition("=")
        if fmt not in lint_report.FORMATS or fmt == "text" or not target:
            choices = ", ".join(f for f in lint_report.FORMATS if f != "text")
            _fail(f"--output expects FMT=FILE with FMT one of {choices}; got '{value}'")
        outputs.append((fmt, Path(target)))
    return outputs


def _relative(ws: Workspace, path: Path) -> str:
    absolute = path.resolve()
    try:
        return absolute.relative_to(ws.root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the workspace {ws.root}") from None


def _lint_summary(ws: Workspace, result: LintResult) -> str:
    counted = findings_report.summary(result.findings) or (
        f"no findings in {len(ws.personas)} personas, {len(ws.campaigns)} campaigns"
    )
    extras = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed")
    if result.baselined:
        extras.append(f"{result.baselined} in the baseline")
    return counted + (f" ({', '.join(extras)})" if extras else "")


@app.command()
def plan(
    campaigns: Annotated[
        list[str] | None,
        typer.Argument(help="Campaign ids. Default: every campaign.", show_default=False),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every factor of every score.")
    ] = False,
    output_format: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table, json, yaml or markdown (for a brief)."),
    ] = PlanFormat.TABLE,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Write the schedule as an iCalendar file that calendar applications open.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Write the chosen channels and the proposed touches into the campaign files, "
            "keeping comments and formatting.",
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="Print only what --write would change (a unified diff); change nothing."
        ),
    ] = False,
    force: ForceOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Choose each campaign's channels, forecast them, and propose a schedule.

    For each persona: the channels it uses, filtered (consent, the campaign's channels, a send
    window within the dates, the budget) and scored; the selection maximises the expected value
    within the budget and max_channels. Campaigns without touches get a proposed schedule that
    keeps to every window and pressure cap. Nothing is written without --write. Exit code 1
    when a campaign cannot be planned or scheduled.
    """
    from mcplan.plan import plan as make_plans
    from mcplan.plan.write import diff as text_diff
    from mcplan.plan.write import updated_text
    from mcplan.report import plan as plan_report
    from mcplan.report.ics import calendar

    ws = _load(workspace)
    _note_problems(ws)
    try:
        plans = make_plans(ws, campaigns)
        if ics is not None and ics.exists() and not force:
            raise UsageError(f"{ics} already exists; add --force to overwrite it")
    except McplanError as exc:
        _fail(str(exc))
    if diff:
        pass  # only the changes --write would make, printed below
    elif output_format is PlanFormat.JSON:
        typer.echo(plan_report.as_json(plans), nl=False)
    elif output_format is PlanFormat.YAML:
        typer.echo(plan_report.as_yaml(plans), nl=False)
    elif output_format is PlanFormat.MARKDOWN:
        typer.echo(plan_report.as_markdown(plans, ws, explain=explain), nl=False)
    else:
        console = _out()
        for block in plan_report.tables(plans, ws, explain=explain):
            console.print(block)
    if ics is not None:
        write_atomic(ics, calendar(plans, ws))
        _say(f"wrote {ics}")
    for result in plans:
        if not (write or diff) or result.findings:
            continue
        display = ws.source("campaigns", result.campaign.id).file
        original = (ws.root / display).read_bytes().decode("utf-8")  # keeps CRLF line ends
        proposed = result.touches if result.proposed else None
        try:
            changed = updated_text(original, result.chosen, proposed)
        except McplanError as exc:
            _fail(f"cannot update {display}: {exc}")
        if diff:
            typer.echo(text_diff(display, original, changed), nl=False)
        elif changed != original:
            write_atomic(ws.root / display, changed)
            _say(f"updated {display}")
    failed = [f for p in plans for f in p.findings]
    if failed:
        _say(findings_report.summary(failed) + ": some campaigns could not be planned")
        raise typer.Exit(1)


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
    from mcplan.report import attribution as attribution_report

    ws = _optional_workspace(workspace)
    try:
        shares = [float(x) / 100 for x in positions.split(",")]
        if len(shares) != 3 or min(shares) < 0:
            raise ValueError
    except ValueError:
        _fail(f"--positions expects three percentages such as 40,20,40, not '{positions}'")
    try:
        known = _channel_names(ws) if ws is not None else None
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
        _fail(str(exc))
    if output_format is AttributionFormat.JSON:
        typer.echo(attribution_report.as_json(results, costs), nl=False)
    elif output_format is AttributionFormat.CSV:
        typer.echo(attribution_report.as_csv(results, costs), nl=False)
    else:
        currency = ws.settings.currency if ws is not None else ""
        for block in attribution_report.tables(results, costs, currency):
            _out().print(block)


def _optional_workspace(workspace: Path | None) -> Workspace | None:
    """The workspace when there is one (given, or found upwards); attribution works without."""
    try:
        return load_workspace(workspace, discover=workspace is None)
    except McplanError as exc:
        if workspace is not None:
            _fail(str(exc))
        return None


def _channel_names(ws: Workspace) -> dict[str, str]:
    names = {c.name: c.id for c in ws.channels.values()}
    return {**names, **{c: c for c in ws.channels}}


def _pairs(values: list[str], option: str, form: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, _, target = value.partition("=")
        if not key.strip() or not target.strip():
            _fail(f"{option} expects {form}, got '{value}'")
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
    from mcplan.plan import plan as make_plans
    from mcplan.report import review as review_report
    from mcplan.results import read_results
    from mcplan.review import compare

    ws = _load(workspace)
    _note_problems(ws)
    try:
        [forecast] = make_plans(ws, [campaign])
        review = compare(forecast, read_results(results, ws), ws)
    except McplanError as exc:
        _fail(str(exc))
    if forecast.findings:
        _say("the campaign cannot be planned: every channel is reviewed as not in the plan")
    if output_format is ReportFormat.JSON:
        typer.echo(review_report.as_json(review), nl=False)
    elif output_format is ReportFormat.MARKDOWN:
        typer.echo(review_report.as_markdown(review, ws), nl=False)
    else:
        console = _out()
        for block in review_report.tables(review, ws):
            console.print(block)


@app.command()
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help=f"File kind: {', '.join(KINDS)}.", show_default=False, metavar="[KIND]"
        ),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Write every kind's schema into this folder as <kind>.schema.json.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a file kind, for editors (yaml-language-server) and CI.

    Point an editor at it with a first line such as
    `# yaml-language-server: $schema=../schemas/persona.schema.json`.
    """
    if write is not None:
        if kind is not None:
            _fail("give either KIND or --write, not both")
        try:
            for path in write_schemas(write):
                _say(f"wrote {path}")
        except OSError as exc:
            _fail(f"cannot write schemas into {write}: {exc.strerror or exc}")
        return
    if kind is None:
        _fail(f"give a KIND ({', '.join(KINDS)}) or --write DIR")
    try:
        typer.echo(schema_text(kind), nl=False)
    except McplanError as exc:
        _fail(str(exc))


def main() -> None:
    """Entry point of the ``mcplan`` console script."""
    app()
