"""Rendered versions as rich panels, JSON, Markdown or plain text files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mcplan.json_text import json_text
from mcplan.numbers import count, number
from mcplan.output import Emitter, Rich
from mcplan.output.eml import eml, payload
from mcplan.render.email import written_html
from mcplan.render.engine import Part, Rendering, Version
from mcplan.render.limits import Check
from mcplan.words import Reader
from mcplan.workspace import Workspace


@dataclass(frozen=True)
class Rendered:
    """A campaign's versions, and the workspace that names their channels and personas."""

    rendering: Rendering
    workspace: Workspace

    @property
    def reader(self) -> Reader:
        """Who reads the panels and the Markdown: the workspace's language."""
        return Reader.of(self.workspace.settings.locale)


def version_dict(version: Version) -> dict[str, Any]:
    """A version as plain data: its parts with their text, measures and limits; a journey's
    step's names the journey and the `step`."""
    whose = {"campaign": version.campaign} if version.step is None else {
        "journey": version.campaign, "step": version.step}  # fmt: skip
    return {
        **whose,
        "channel": version.channel,
        "persona": version.persona,
        "arm": version.arm,
        "personas": list(version.personas),
        "locale": version.locale,
        "link": version.link,
        "parts": [
            {
                "name": part.name,
                "origin": part.origin,
                "text": part.text,
                "measures": _measures(part),
                "limits": [
                    {
                        "rule": c.rule.code,
                        "limit": c.limit,
                        "counts": c.what,
                        "allowed": c.allowed,
                        "actual": c.actual,
                        "ok": c.ok,
                        "level": str(c.level),
                    }
                    for c in version.checks
                    if c.part == part.name
                ],
            }
            for part in version.parts
        ],
        "gsm_changes": [{"from": a, "to": b, "times": n} for a, b, n in version.gsm_changes],
    }


def _measures(part: Part) -> dict[str, Any]:
    m = part.measures
    out: dict[str, Any] = {"chars": m.chars, "words": m.words, "longest_line": m.longest_line}
    if m.sms is not None:
        out.update(
            encoding=m.sms.encoding,
            units=m.sms.units,
            segments=m.sms.segments,
            non_gsm=list(m.sms.non_gsm),
        )
    if m.seconds is not None:
        out["seconds"] = m.seconds
    if m.weighted_chars is not None:
        out["weighted_chars"] = m.weighted_chars
    return out


def as_json(result: Rendered) -> str:
    rendering = result.rendering
    kind = "campaign" if rendering.journey is None else "journey"
    data = {
        kind: rendering.campaign.id,
        "versions": [version_dict(v) for v in rendering.versions],
        "findings": [f.to_dict() for f in rendering.findings],
    }
    return json_text(data)


# How a part that is not the channel's template is shown (catalogue keys).
ORIGINS = {"variant": "hand_written", "arm": "arm_of_test"}


def origin(part: Part, version: Version, reader: Reader) -> str:
    """`` (arm a of the test)``, `` (hand-written)``, or nothing for a template's part."""
    key = ORIGINS.get(part.origin)
    return f" ({reader.say(key, arm=version.arm)})" if key else ""


def version_text(version: Version) -> str:
    """The text to copy into the channel's tool: the bare text, or ``[part]`` sections."""
    if len(version.parts) == 1:
        return version.parts[0].text + "\n"
    return "\n\n".join(f"[{p.name}]\n{p.text}" for p in version.parts) + "\n"


def audience(version: Version, workspace: Workspace, reader: Reader) -> str:
    names = [workspace.personas[p].name for p in version.personas if p in workspace.personas]
    return ", ".join(names) if names else reader.say("no_audience_of_channel")


def describe(part: Part, reader: Reader) -> str:
    """``90 characters, 14 words, GSM-7, 1 segment``, in the reader's language."""
    m = part.measures
    words = [reader.count("n_chars", m.chars), reader.count("n_words", m.words)]
    if m.sms is not None:
        words.append(f"{m.sms.encoding}, {reader.count('n_units', m.sms.units)}, "
                     f"{reader.count('n_segments', m.sms.segments)}")  # fmt: skip
        if m.sms.non_gsm:
            words.append(reader.say("not_gsm7", chars=" ".join(m.sms.non_gsm)))
    if m.seconds is not None:
        words.append(reader.say("seconds_spoken", seconds=number(m.seconds)))
    if m.weighted_chars is not None:
        words.append(reader.count("n_weighted_chars", m.weighted_chars))
    return ", ".join(words)


def step_title(version: Version) -> str:
    """``hello · `` before a journey's step's version, to head it with the step's id."""
    return f"{version.step} · " if version.step is not None else ""


def as_markdown(result: Rendered) -> str:
    rendering, workspace, t = result.rendering, result.workspace, result.reader
    campaign = rendering.campaign
    lines = [f"# {campaign.name} ({campaign.brand})", ""]
    for version in rendering.versions:
        channel = workspace.channels[version.channel]
        arm = f", {t.say('arm', arm=version.arm)}" if version.arm is not None else ""
        title = step_title(version) + t.channel(channel)
        lines += [f"## {title}{arm}: {audience(version, workspace, t)}", ""]
        for part in version.parts:
            lines += [
                f"**{t.part(part.name)}**{origin(part, version, t)}: {describe(part, t)}",
                "",
                "```text",
                part.text,
                "```",
                "",
            ]
        if version.checks:
            columns = (t.say("col_limit"), t.say("col_part"), t.say("col_value"),
                       t.say("col_allowed"))  # fmt: skip
            lines += ["| " + " | ".join(columns) + " | |", "| --- | --- | --- | --- | --- |"]
            lines += [
                f"| {t.words.get(f'limit_{c.limit}', c.limit)} | {t.part(c.what)} | "
                f"{number(c.actual)} | {number(c.allowed)} | {_mark(c, t)} |"
                for c in shown_checks(version)
            ]
            lines.append("")
        lines += [f"- {note}" for note in gsm_notes(version, t)]
    for finding in rendering.findings:
        lines.append(f"- **{finding.rule}** `{finding.location}`: {finding.message}")
    return "\n".join(lines).rstrip() + "\n"


def shown_checks(version: Version) -> list[Check]:
    """The checks worth showing a person: all, except line lengths that are fine."""
    return [c for c in version.checks if c.limit != "line_chars" or not c.ok]


def said(check: Check, reader: Reader) -> str:
    """A limit's check in the reader's words: the preview's sentence for one over its limit,
    else the measure against the limit; a limit the catalogue does not know, as the rule
    says it."""
    label = reader.words.get(f"limit_{check.limit}")
    if label is None:
        return check.message
    values = {"part": reader.part(check.what), "actual": number(check.actual),
              "allowed": number(check.allowed)}  # fmt: skip
    if not check.ok:
        return reader.say(f"over_{check.limit}", **values)
    return reader.say("within_limit", label=label, **values)


def _mark(check: Check, reader: Reader) -> str:
    return reader.say("check_ok") if check.ok else str(check.level).upper()


def gsm_notes(version: Version, reader: Reader) -> Iterator[str]:
    for old, new, times in version.gsm_changes:
        yield reader.say("gsm_replaced", old=repr(old), new=repr(new), times=count(times))


def panels(result: Rendered) -> Rich:
    """One rich panel per version: its parts, their measures, and its limits."""
    rendering, workspace, t = result.rendering, result.workspace, result.reader
    out: list[RenderableType] = []
    for version in rendering.versions:
        body: list[RenderableType] = []
        for part in version.parts:
            header = Text(t.part(part.name), style="bold cyan")
            header.append(origin(part, version, t), style="dim")
            body += [header, Text(part.text), Text(describe(part, t), style="dim"), Text("")]
        if version.checks:
            table = Table(box=None, show_header=False, padding=(0, 1))
            for check in shown_checks(version):
                style = "green" if check.ok else ("yellow" if check.level < 3 else "bold red")
                table.add_row(Text("✓" if check.ok else "✗", style=style), said(check, t))
            body.append(table)
        body += [Text(note, style="yellow") for note in gsm_notes(version, t)]
        channel = workspace.channels[version.channel]
        arm = f" · {t.say('arm', arm=version.arm)}" if version.arm is not None else ""
        name = step_title(version) + t.channel(channel)
        title = f"[bold]{name}[/]{arm} · {audience(version, workspace, t)}"
        failed = any(not c.ok and c.level >= 3 for c in version.checks)
        out.append(Panel(Group(*body), title=title, title_align="left",
                         border_style="red" if failed else "blue"))  # fmt: skip
    return Rich(out)


EMITTERS: dict[str, Emitter[Rendered]] = {"text": panels, "json": as_json, "markdown": as_markdown}


def _version_json(version: Version, result: Rendered) -> str:
    return json_text(version_dict(version))


def _version_markdown(version: Version, result: Rendered) -> str:
    alone = replace(result.rendering, versions=[version], findings=[])
    return as_markdown(Rendered(alone, result.workspace))


def _version_text(version: Version, result: Rendered) -> str:
    return version_text(version)


# What `render --out` writes for each version, by format: its extension and its content.
FILES: dict[str, tuple[str, Callable[[Version, Rendered], str]]] = {
    "text": ("txt", _version_text),
    "json": ("json", _version_json),
    "markdown": ("md", _version_markdown),
}


def extra_files(version: Version, result: Rendered) -> dict[str, str | bytes]:
    """Files written beside a version's, by extension: an e-mail's `.eml`, its HTML, and the
    `.send.json` payload for a sending platform's API."""
    channel = result.workspace.channels[version.channel]
    if channel.kind == "email":
        campaign, workspace = result.rendering.campaign_of(version), result.workspace
        html = written_html(version, campaign, workspace)  # compiled once for the three files
        return {
            "eml": eml(version, campaign, workspace, html),
            "html": html,
            "send.json": payload(version, campaign, workspace, html),
        }
    return {}
