"""What a change does (`mcplan diff`): for a terminal, for a pull request (Markdown), as JSON.

Ids, file names and messages come from a pull request's files, and the Markdown goes into the
job summary of CI: every such text is shown as what it is. In the terminal and in Markdown it
is on one line (a line break is written ``\\n``) and each control character is an escape;
in Markdown what Markdown would read as markup (``#``, ``[``, ``<``, a backtick,
``*``, a link, HTML) is escaped or inside a code span; in JSON each control and
bidirectional character is a ``\\u`` escape, which reads back as the same string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from mcplan.change.diff import CampaignChange, Change, Forecast, PressureChange, TouchChange
from mcplan.findings import Finding, Level, plural
from mcplan.numbers import NONE, count, moment, money, percent, quantity, rounded
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.printable import printable


@dataclass(frozen=True)
class Shown:
    """A change, and the currency its figures are in."""

    change: Change
    currency: str


def _summary(change: Change) -> str:
    errors = sum(f.level >= Level.ERROR for f in change.new)
    added = plural(len(change.new), "finding") + " added"
    if errors:
        added += f" ({plural(errors, 'error')})"
    over = [p for p in change.personas if p.over]
    parts = [added, f"{count(len(change.fixed))} fixed"]
    parts.append(plural(len(change.campaigns), "campaign") + " changed")
    if over:
        parts.append(plural(len(over), "persona") + " over a cap")
    new = "a new workspace, everything is added: " if change.new_workspace else ""
    return new + ", ".join(parts)


def _who(touch: TouchChange) -> str:
    return ", ".join(touch.personas) if touch.personas else "every persona"


def _touch_line(touch: TouchChange) -> str:
    what = f"{touch.channel} to {_who(touch)}"
    if touch.kind == "moved":
        assert touch.before is not None
        assert touch.after is not None
        return f"moved: {what}, {moment(touch.before)} → {moment(touch.after)}"
    at = touch.after if touch.kind == "added" else touch.before
    assert at is not None
    return f"{touch.kind}: {what}, {moment(at)}"


def _money(value: float | None, currency: str) -> str:
    return money(value, currency) if value is not None else NONE


def _share(value: float | None) -> str:
    return NONE if value is None else percent(value, 0)


def _rows(campaign: CampaignChange, currency: str) -> list[tuple[str, str, str]]:
    """(what, before, after) of each figure that is known on one side at least."""
    before, after = campaign.before, campaign.after

    def figure(get: Callable[[Forecast], Any], show: Callable[[Any], str]) -> tuple[str, str]:
        return (
            show(get(before)) if before else NONE,
            show(get(after)) if after else NONE,
        )

    rows = [
        ("channels", *figure(lambda f: f.channels, lambda c: ", ".join(c) or NONE)),
        ("budget", _money(campaign.budget[0], currency), _money(campaign.budget[1], currency)),
        ("contacts reached", *figure(lambda f: f.contacts, quantity)),
        ("conversions", *figure(lambda f: f.conversions, quantity)),
        ("cost", *figure(lambda f: f.cost, lambda v: money(v, currency))),
        ("revenue", *figure(lambda f: f.revenue, lambda v: _money(v, currency))),
    ]
    kinds = dict.fromkeys(k for f in (before, after) if f is not None for k, _ in f.attainment)
    for kind in kinds:
        old = dict(before.attainment).get(kind) if before else None
        new = dict(after.attainment).get(kind) if after else None
        rows.append((f"{kind} objective", _share(old), _share(new)))
    return [row for row in rows if row[1] != NONE or row[2] != NONE]


def _pressure_cells(persona: PressureChange) -> list[str]:
    def cell(pair: tuple[int, int], cap: int | None) -> str:
        before, after = pair
        mark = " ✗" if cap is not None and after > cap else ""
        return f"{count(before)} → {count(after)}{mark}"

    week_cap, month_cap = persona.caps
    return [
        persona.persona,
        cell(persona.week, week_cap),
        count(week_cap) if week_cap is not None else NONE,
        cell(persona.month, month_cap),
        count(month_cap) if month_cap is not None else NONE,
    ]


PRESSURE_HEADERS = ("persona", "busiest 7 days", "cap", "busiest 30 days", "cap")


def _finding_line(finding: Finding) -> str:
    return f"{finding.location}: {finding.level} {finding.rule} {finding.message}"


def _line(text: str) -> str:
    """``text`` on one line, printable: a line break or a tab written as ``\\n`` or ``\\t``."""
    return printable(text.replace("\r\n", "\n").replace("\n", "\\n").replace("\t", "\\t"))


# -- text -----------------------------------------------------------------------------------


def text(shown: Shown) -> Rich:
    change, currency = shown.change, shown.currency
    parts: list[RenderableType] = [
        Text(_line(f"{change.base} → {change.head}: {_summary(change)}"), style="bold")
    ]
    for campaign in change.campaigns:
        grid = Grid(
            _line(f"{campaign.campaign} ({campaign.status})"),
            [("", TEXT), ("before", NUMBER), ("after", NUMBER)],
        )
        for row in _rows(campaign, currency):
            grid.add_row(*(Text(_line(cell)) for cell in row))  # a Text: no rich markup
        parts.append(grid)
        parts += [
            Text(_line(f"  {_touch_line(t)}  ({t.where.file}:{t.where.line})"))
            for t in campaign.touches
        ]
    if change.personas:
        grid = Grid(
            "contact pressure, across every campaign",
            [("persona", ID), *((h, NUMBER) for h in PRESSURE_HEADERS[1:])],
        )
        for persona in change.personas:
            cells = (Text(_line(cell)) for cell in _pressure_cells(persona))
            grid.add_row(*cells, style="bold red" if persona.over else "")
        parts.append(grid)
    for title, findings, style in (
        ("findings added", change.new, "red"),
        ("findings fixed", change.fixed, "green"),
    ):
        if findings:
            parts.append(Text(f"{title}:", style="bold"))
            parts += [Text(_line(f"  {_finding_line(f)}"), style=style) for f in findings]
    return Rich([Group(*parts, Text(""))], soft_wrap=True)


# -- Markdown -------------------------------------------------------------------------------


# What Markdown (CommonMark, and GitHub's: tables, strikethrough, autolinks, math, mentions)
# may read as markup in a line of text: each is written after a backslash, which CommonMark
# reads as that character and nothing more. A URL is no link once its `://` is escaped, nor
# `www.example.com` once its first dot is.
_MARKUP = re.compile(r"[\\`*_~\[\]()<>!#|&$@]|:(?=//)|(?<=[wW]{3})\.")


def _inert(text: str) -> str:
    """``text`` as Markdown that shows it as it is, with no markup: no heading, link, image,
    HTML, emphasis, code, table cell or line of its own."""
    return _MARKUP.sub(lambda match: "\\" + match.group(), _line(text))


def _code(text: str) -> str:
    """``text`` as a code span, which shows everything in it as written: fenced by more
    backticks than it holds in a row, and on one line."""
    shown = _line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def as_markdown(shown: Shown) -> str:
    """For a pull-request comment or `$GITHUB_STEP_SUMMARY`."""
    change, currency = shown.change, shown.currency
    title = f"## mcplan diff: {_code(change.base)} → {_inert(change.head)}"
    lines = [title, "", f"**{_summary(change)}**", ""]
    nothing = not (change.campaigns or change.personas or change.new or change.fixed)
    if nothing and not change.new_workspace:
        lines += ["The change does nothing to the campaigns, their contacts or their findings.", ""]
    for campaign in change.campaigns:
        lines += [f"### {_inert(campaign.campaign)} ({campaign.status})", ""]
        lines += ["| | before | after |", "| --- | ---: | ---: |"]
        lines += ["| " + " | ".join(map(_inert, row)) + " |" for row in _rows(campaign, currency)]
        lines.append("")
        lines += [
            f"- {_inert(_touch_line(t))} ({_code(f'{t.where.file}:{t.where.line}')})"
            for t in campaign.touches
        ]
        if campaign.touches:
            lines.append("")
    if change.personas:
        lines += ["### Contact pressure, across every campaign", ""]
        lines += ["| " + " | ".join(PRESSURE_HEADERS) + " |", "| --- |" + " ---: |" * 4]
        for persona in change.personas:
            cells = [_inert(cell) for cell in _pressure_cells(persona)]
            if persona.over:
                cells[0] = f"**{cells[0]}**"
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    for title, findings in (("Findings added", change.new), ("Findings fixed", change.fixed)):
        if findings:
            lines += [f"### {title}", ""]
            lines += [
                f"- **{f.level} {f.rule}** {_code(str(f.location))}: {_inert(f.message)}"
                for f in findings
            ]
            lines.append("")
    return "\n".join(lines)


# -- JSON -----------------------------------------------------------------------------------


def _forecast_dict(forecast: Forecast | None) -> dict[str, Any] | None:
    if forecast is None:
        return None
    return {
        "channels": list(forecast.channels),
        "contacts": rounded(forecast.contacts, 1),
        "conversions": rounded(forecast.conversions, 2),
        "cost": rounded(forecast.cost),
        "revenue": rounded(forecast.revenue),
        "objectives": [{"kind": k, "share": rounded(s, 4)} for k, s in forecast.attainment],
    }


def as_dict(change: Change) -> dict[str, Any]:
    return {
        "base": change.base,
        "head": change.head,
        "new_workspace": change.new_workspace,
        "campaigns": [
            {
                "campaign": c.campaign,
                "status": c.status,
                "budget": {"before": c.budget[0], "after": c.budget[1]},
                "before": _forecast_dict(c.before),
                "after": _forecast_dict(c.after),
                "touches": [
                    {
                        "change": t.kind,
                        "channel": t.channel,
                        "personas": list(t.personas) if t.personas else None,
                        "before": t.before.isoformat(timespec="minutes") if t.before else None,
                        "after": t.after.isoformat(timespec="minutes") if t.after else None,
                        **t.where.to_dict(),
                    }
                    for t in c.touches
                ],
            }
            for c in change.campaigns
        ],
        "personas": [
            {
                "persona": p.persona,
                "week": {"before": p.week[0], "after": p.week[1], "cap": p.caps[0]},
                "month": {"before": p.month[0], "after": p.month[1], "cap": p.caps[1]},
                "over": p.over,
            }
            for p in change.personas
        ],
        "new": [f.to_dict() for f in change.new],
        "fixed": [f.to_dict() for f in change.fixed],
    }


# What json.dumps leaves as it is but a terminal may act on: DEL, the C1 controls, the
# bidirectional embeddings, overrides and isolates, and the non-characters.
_UNSHOWN = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def as_json(shown: Shown) -> str:
    text = json.dumps(as_dict(shown.change), indent=2, ensure_ascii=False)
    return _UNSHOWN.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


EMITTERS: dict[str, Emitter[Shown]] = {"text": text, "json": as_json, "markdown": as_markdown}
