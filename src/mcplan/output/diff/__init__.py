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

from mcplan.diff.changes import CampaignChange, Change, Forecast, PressureChange, TouchChange
from mcplan.findings import Finding, Level
from mcplan.numbers import NONE, count, moment, money, percent, quantity, rounded
from mcplan.output import Emitter, Rich
from mcplan.output.diff import journeys
from mcplan.output.diff.block import Located, markdown_block, text_block
from mcplan.output.diff.escape import capital, code_span, inert, one_line
from mcplan.output.grid import ID, NUMBER, Grid
from mcplan.words import FALLBACK, Reader


@dataclass(frozen=True)
class Shown:
    """A change, the currency its figures are in, and the workspace's locale, whose language
    the text and the Markdown speak (JSON and the findings' messages stay English)."""

    change: Change
    currency: str
    locale: str = FALLBACK

    @property
    def reader(self) -> Reader:
        return Reader.of(self.locale)


def _summary(change: Change, reader: Reader) -> str:
    errors = sum(f.level >= Level.ERROR for f in change.new)
    added = reader.count("diff_findings_added", len(change.new))
    if errors:
        added += f" ({reader.count('diff_errors', errors)})"
    over = [p for p in change.personas if p.over]
    parts = [added, reader.count("diff_fixed", len(change.fixed))]
    parts.append(reader.count("diff_campaigns_changed", len(change.campaigns)))
    if change.journeys:
        parts.append(reader.count("diff_journeys_changed", len(change.journeys)))
    if over:
        parts.append(reader.count("diff_personas_over", len(over)))
    said = ", ".join(parts)
    return reader.say("diff_new_workspace", summary=said) if change.new_workspace else said


def _touch_line(touch: TouchChange, reader: Reader) -> str:
    who = ", ".join(touch.personas) if touch.personas else reader.say("every_persona")
    if touch.kind == "moved":
        assert touch.before is not None
        assert touch.after is not None
        return reader.say(
            "diff_touch_moved",
            channel=touch.channel,
            who=who,
            before=moment(touch.before),
            after=moment(touch.after),
        )
    at = touch.after if touch.kind == "added" else touch.before
    assert at is not None
    return reader.say(f"diff_touch_{touch.kind}", channel=touch.channel, who=who, at=moment(at))


def _located(campaign: CampaignChange, reader: Reader) -> list[Located]:
    return [(_touch_line(t, reader), t.where) for t in campaign.touches]


def _title(campaign: CampaignChange, shown: str, reader: Reader) -> str:
    """``soldes-hiver-2027 (changed)``, the campaign's id ``shown`` as the format shows it."""
    return reader.say(
        "diff_campaign", campaign=shown, status=reader.say(f"diff_status_{campaign.status}")
    )


def _money(value: float | None, currency: str) -> str:
    return money(value, currency) if value is not None else NONE


def _share(value: float | None) -> str:
    return NONE if value is None else percent(value, 0)


def _rows(campaign: CampaignChange, currency: str, reader: Reader) -> list[tuple[str, str, str]]:
    """(what, before, after) of each figure that is known on one side at least."""
    before, after = campaign.before, campaign.after
    say = reader.say

    def figure(get: Callable[[Forecast], Any], show: Callable[[Any], str]) -> tuple[str, str]:
        return (
            show(get(before)) if before else NONE,
            show(get(after)) if after else NONE,
        )

    rows = [
        (say("diff_channels"), *figure(lambda f: f.channels, lambda c: ", ".join(c) or NONE)),
        (
            say("diff_budget"),
            _money(campaign.budget[0], currency),
            _money(campaign.budget[1], currency),
        ),
        (say("diff_reached"), *figure(lambda f: f.contacts, quantity)),
        (say("diff_conversions"), *figure(lambda f: f.conversions, quantity)),
        (say("diff_cost"), *figure(lambda f: f.cost, lambda v: money(v, currency))),
        (say("diff_revenue"), *figure(lambda f: f.revenue, lambda v: _money(v, currency))),
    ]
    kinds = dict.fromkeys(k for f in (before, after) if f is not None for k, _ in f.attainment)
    for kind in kinds:
        old = dict(before.attainment).get(kind) if before else None
        new = dict(after.attainment).get(kind) if after else None
        name = reader.words.get(f"objective_{kind}", kind)
        rows.append((say("diff_objective", kind=name), _share(old), _share(new)))
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


def _pressure_headers(reader: Reader) -> tuple[str, ...]:
    return tuple(
        reader.say(f"diff_col_{key}") for key in ("persona", "week", "cap", "month", "cap")
    )


def _finding_line(finding: Finding) -> str:
    return f"{finding.location}: {finding.level} {finding.rule} {finding.message}"


# -- text -----------------------------------------------------------------------------------


def text(shown: Shown) -> Rich:
    change, currency, reader = shown.change, shown.currency, shown.reader
    headline = reader.say(
        "diff_headline", base=change.base, head=change.head, summary=_summary(change, reader)
    )
    parts: list[RenderableType] = [Text(one_line(headline), style="bold")]
    for campaign in change.campaigns:
        title = _title(campaign, campaign.campaign, reader)
        rows = _rows(campaign, currency, reader)
        parts += text_block(title, rows, _located(campaign, reader), reader)
    parts += journeys.text_parts(change.journeys, currency, reader)
    if change.personas:
        first, *headers = _pressure_headers(reader)
        grid = Grid(reader.say("diff_pressure"), [(first, ID), *((h, NUMBER) for h in headers)])
        for persona in change.personas:
            cells = (Text(one_line(cell)) for cell in _pressure_cells(persona))
            grid.add_row(*cells, style="bold red" if persona.over else "")
        parts.append(grid)
    for title, findings, style in (
        (reader.say("diff_new_findings"), change.new, "red"),
        (reader.say("diff_fixed_findings"), change.fixed, "green"),
    ):
        if findings:
            parts.append(Text(reader.say("diff_label", label=title), style="bold"))
            parts += [Text(one_line(f"  {_finding_line(f)}"), style=style) for f in findings]
    return Rich([Group(*parts, Text(""))], soft_wrap=True)


# -- Markdown -------------------------------------------------------------------------------


def as_markdown(shown: Shown) -> str:
    """For a pull-request comment or `$GITHUB_STEP_SUMMARY`."""
    change, currency, reader = shown.change, shown.currency, shown.reader
    head = inert(reader.text(change.head))
    title = "## " + reader.say("diff_title", base=code_span(change.base), head=head)
    lines = [title, "", f"**{_summary(change, reader)}**", ""]
    nothing = not (
        change.campaigns or change.journeys or change.personas or change.new or change.fixed
    )
    if nothing and not change.new_workspace:
        lines += [reader.say("diff_nothing"), ""]
    for campaign in change.campaigns:
        title = _title(campaign, inert(campaign.campaign), reader)
        rows = _rows(campaign, currency, reader)
        lines += markdown_block(title, rows, _located(campaign, reader), reader)
        if campaign.touches:
            lines.append("")
    lines += journeys.markdown_lines(change.journeys, currency, reader)
    if change.personas:
        lines += [f"### {capital(reader.say('diff_pressure'))}", ""]
        lines += ["| " + " | ".join(_pressure_headers(reader)) + " |", "| --- |" + " ---: |" * 4]
        for persona in change.personas:
            cells = [inert(cell) for cell in _pressure_cells(persona)]
            if persona.over:
                cells[0] = f"**{cells[0]}**"
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    for title, findings in (
        ("diff_new_findings", change.new),
        ("diff_fixed_findings", change.fixed),
    ):
        if findings:
            lines += [f"### {capital(reader.say(title))}", ""]
            lines += [
                f"- **{f.level} {f.rule}** {code_span(str(f.location))}: {inert(f.message)}"
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
        "journeys": journeys.as_dicts(change.journeys),
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
