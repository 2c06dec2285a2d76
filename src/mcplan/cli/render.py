"""Commands that render a campaign's message: render, preview."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mcplan.cli.app import (
    ChannelOption,
    ForceOption,
    PersonaOption,
    WorkspaceOption,
    app,
    fail,
    load,
    say,
    terminal,
)
from mcplan.errors import McplanError, UsageError
from mcplan.files import write_atomic
from mcplan.lint.engine import lint as run_lint
from mcplan.output import rendering as render_report
from mcplan.output.eml import eml
from mcplan.output.findings import lines as findings_report
from mcplan.output.folder import write_versions
from mcplan.render import Rendering, render_campaign
from mcplan.workspace import Workspace


class RenderFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"


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
    ws = load(workspace)
    try:
        result = render_campaign(ws, campaign, channels=channel, personas=persona)
        if out is not None:
            written = _write_render(ws, result, out, output_format, force)
            say(f"wrote {len(written)} files into {out}")
        elif output_format is RenderFormat.JSON:
            typer.echo(render_report.as_json(result))
        elif output_format is RenderFormat.MD:
            typer.echo(render_report.as_markdown(result, ws), nl=False)
        else:
            console = terminal()
            for panel in render_report.panels(result, ws):
                console.print(panel)
    except McplanError as exc:
        fail(str(exc))
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
        say(f"{findings_report.summary(result.findings)}: some versions were not rendered")
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
    from mcplan.output.preview import findings_by_version, preview_html

    ws = load(workspace)
    try:
        result = render_campaign(ws, campaign, channels=channel, personas=persona)
        if out.exists() and not force:
            raise UsageError(f"{out} already exists; add --force to overwrite it")
        beside = findings_by_version(run_lint(ws).findings, result)
        write_atomic(out, preview_html(ws, result, findings=beside))
    except McplanError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    say(f"wrote {out} ({len(result.versions)} versions)")
    _finish_rendering(result, quiet=False)
