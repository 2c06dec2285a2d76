"""The campaigns' calendar (`mcplan calendar`): a terminal calendar per persona, or one
self-contained HTML page to pin on the wall.

The page follows the preview's safety rules: our own template with autoescaping on (every
workspace text escaped, nothing marked safe), no script, nothing loaded, a
Content-Security-Policy that allows inline styles only. Its words are the preview's catalogue
(:mod:`mcplan.words`), in the workspace's language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_skeleton, get_day_names
from rich.console import Group, RenderableType
from rich.text import Text

from mcplan.numbers import quantity
from mcplan.output import Emitter, Rich
from mcplan.packaged import template
from mcplan.plan.result import CampaignPlan, ProposedTouch
from mcplan.schedule.calendar import Day, Row, Wall
from mcplan.words import Reader
from mcplan.workspace import Workspace
from mcplan.workspace.channel import Channel
from mcplan.workspace.library import bundled_colours


# A channel keeps its colour on every page: the bundled ones each their own, any other one
# the colour its id hashes to.
def colour(channel: Channel) -> str:
    """Its own colour, else the bundled channel's of its id, else a bundled colour picked by
    its id (the same on every page)."""
    bundled = bundled_colours()
    if channel.colour or channel.id in bundled:
        return channel.colour or bundled[channel.id]
    palette = tuple(bundled.values())
    return palette[int(hashlib.sha256(channel.id.encode()).hexdigest(), 16) % len(palette)]


@dataclass(frozen=True)
class Shown:
    wall: Wall
    workspace: Workspace


def codes(wall: Wall) -> dict[str, str]:
    """A short name per channel shown, unique among them: E for email, W for website and WP
    for web_push beside it, SM and ST for sms and store together (see :func:`short_names`)."""
    shown = {c.channel for row in wall.rows for d in row.days for c in d.chips}
    shown |= {c for row in wall.rows for d in row.days if _loaded(d) for c, _ in d.journeys}
    return short_names(sorted(shown))


def short_names(channels: list[str]) -> dict[str, str]:
    """Each channel's first name of :func:`_names` that is neither another's first one (sms
    and store both give up S) nor taken; its id (upper-case when that is free) when none is
    left."""
    wanted = {channel: _names(channel) for channel in channels}
    first = [names[0] for names in wanted.values() if names]
    out: dict[str, str] = {}
    for channel in channels:
        free = (
            name
            for name in wanted[channel]
            if name not in out.values() and first.count(name) <= (name == wanted[channel][0])
        )
        fallback = channel.upper() if channel.upper() not in out.values() else channel
        out[channel] = next(free, fallback)
    return out


def _names(channel: str) -> list[str]:
    """A channel's possible short names, best first: the initials of its words (E, WP for
    web_push), then its first letter and one letter after it (ST, SO, SR for store)."""
    words = [w for w in channel.replace("-", "_").split("_") if w]
    letters = "".join(words).upper()
    if not letters:
        return []
    names = ["".join(w[0] for w in words).upper()[:3]]
    names += [letters[0] + c for c in letters[1:] if c.isalnum()]
    return list(dict.fromkeys(names))


def _weeks(wall: Wall) -> list[list[date] | int]:
    """Monday-to-Sunday weeks covering the calendar; a run of weeks in which nobody gets a
    touch is one number, how many weeks it is (a calendar of a spring is not mostly empty)."""
    touched = {d.day for row in wall.rows for d in row.days if d.chips or _loaded(d)}
    start = wall.first - timedelta(days=wall.first.weekday())
    weeks: list[list[date] | int] = []
    while start <= wall.last:
        week = [start + timedelta(days=i) for i in range(7)]
        if touched.isdisjoint(week):
            if weeks and isinstance(weeks[-1], int):
                weeks[-1] += 1
            else:
                weeks.append(1)
        else:
            weeks.append(week)
        start += timedelta(days=7)
    return weeks


LOAD_SHOWN = 0.05  # expected journey sends a day below which a day shows none


def _loaded(day: Day | None) -> bool:
    return day is not None and day.journey_load >= LOAD_SHOWN


def _row_weeks(row: Row, weeks: list[list[date] | int]) -> list[list[Day | None] | int]:
    """A persona's days, week by week as ``weeks`` lays them out (None: a day not shown)."""
    by_day = {d.day: d for d in row.days}
    return [week if isinstance(week, int) else [by_day.get(d) for d in week] for week in weeks]


def _quiet(weeks: int, reader: Reader) -> str:
    return reader.say("quiet_week" if weeks == 1 else "quiet_weeks", count=weeks)


def _short_date(day: date, reader: Reader) -> str:
    """``3 mai``, ``3. Mai``, ``May 3``: a day and its month, as the language writes them."""
    return format_skeleton("dMMM", day, locale=reader.locale)


def _caps(row: Row, reader: Reader) -> str:
    caps = []
    if row.max_per_day is not None:
        caps.append(reader.say("day_cap", cap=row.max_per_day))
    if row.max_per_week is not None:
        caps.append(reader.say("week_cap", cap=row.max_per_week))
    return ", ".join(caps) or reader.say("no_cap")


# -- text -----------------------------------------------------------------------------------


def text(shown: Shown) -> Rich:
    """Per persona, a week a line: each day's touches as channel codes, ! over a cap, × a day
    no outbound channel may reach the persona (a holiday, a closed day)."""
    wall = shown.wall
    reader = Reader.of(shown.workspace.settings.locale)
    short = codes(wall)
    names = get_day_names("abbreviated", locale=reader.locale)
    header = " " * 11 + "".join(f"{names[i][:5]:<{CELL}}" for i in range(7))
    blocks: list[RenderableType] = []
    weeks = _weeks(wall)
    for row in wall.rows:
        lines = [
            Text(f"{row.persona} · {row.name} ({_caps(row, reader)})", style="bold"),
            Text(header),
        ]
        for week, days in zip(weeks, _row_weeks(row, weeks), strict=True):
            if isinstance(days, int):  # weeks nobody is touched
                lines.append(Text(f"{'':<11}… {_quiet(days, reader)}", style="dim"))
                continue
            assert not isinstance(week, int)
            line = Text(f"{_short_date(week[0], reader):<11}")
            for day in days:
                line.append_text(_text_cell(day, short))
            lines.append(line)
            if any(_loaded(day) for day in days):
                lines.append(_load_line(days, reader))
        blocks.append(Group(*lines, Text("")))
    legend = [" · ".join(f"{code} {channel}" for channel, code in short.items())]
    legend += [f"! {reader.say('over_cap')}"]
    legend += [f"× {reader.say('closed_day')}, {reader.say('holiday_day')}"]
    if any(_loaded(d) for row in wall.rows for d in row.days):
        legend += [f"≈ {reader.say('journey_load')}"]
    blocks += [Text(line, style="dim") for line in legend if line]
    return Rich(blocks)


CELL = 9  # a day's width in the text calendar: 11 + 7 × 9 = 74 columns


def _text_cell(day: Day | None, short: dict[str, str]) -> Text:
    """A day's touches, their short names between slashes (W/E/WP), as many as fit and how
    many more (SM/ST+2); ! over a cap."""
    if day is None:
        return Text(" " * CELL)
    over = day.over_day or day.over_week
    mark = "!" if over else ""
    chips = [short[c.channel] for c in day.chips]
    shown = "/".join(chips)
    for kept in range(len(chips), 0, -1):
        more = f"+{len(chips) - kept}" if kept < len(chips) else ""
        shown = "/".join(chips[:kept]) + more
        if len(shown + mark) < CELL:
            break
    if not chips:
        shown = "×" if day.closed or day.holiday else "·"
    cell = (shown + mark)[: CELL - 1]
    return Text(f"{cell:<{CELL}}", style="bold red" if over else ("dim" if not day.chips else ""))


def _load_line(days: list[Day | None], reader: Reader) -> Text:
    """A week's expected journey sends, day by day, under its touches: ``≈26``."""
    line = Text(f"{'  ' + reader.say('journey_row')}"[:10].ljust(11), style="dim")
    for day in days:
        cell = f"≈{quantity(day.journey_load)}" if day is not None and _loaded(day) else ""
        line.append(f"{cell[: CELL - 1]:<{CELL}}")
    return line


# -- HTML -----------------------------------------------------------------------------------


def html(shown: Shown) -> str:
    """The calendar as one self-contained HTML page."""
    wall, workspace = shown.wall, shown.workspace
    reader = Reader.of(workspace.settings.locale)
    short = codes(wall)
    colours = {channel: colour(workspace.channels[channel]) for channel in short}
    names = get_day_names("abbreviated", locale=reader.locale)
    brand = workspace.settings.brand or ""
    weeks = _weeks(wall)
    rows = [
        {
            "row": row,
            "caps": _caps(row, reader),
            "weeks": _row_weeks(row, weeks),
        }
        for row in wall.rows
    ]
    campaigns = {c.id: c.name or c.id for c in workspace.campaigns.values()}
    channels = {c: reader.channel(workspace.channels[c]) for c in short if c in workspace.channels}
    return template("mcplan.output", "calendar.html.j2").render(
        lang=reader.language,
        t=reader.words,
        title=reader.words["calendar"],
        brand=brand,
        span=reader.say(
            "dates_from_to", first=reader.long_date(wall.first), last=reader.long_date(wall.last)
        ),
        weekdays=[names[i] for i in range(7)],
        rows=rows,
        spans=[(s, reader.long_date(s.first), reader.long_date(s.last)) for s in wall.campaigns],
        campaigns=campaigns,
        channels=channels,
        short=short,
        colours=colours,
        day_label=lambda day: _short_date(day, reader),
        quiet=lambda count: _quiet(count, reader),
        clock=lambda at: f"{at:%H:%M}",
        loaded=_loaded,
        load=lambda sends: f"≈{quantity(sends)}",
        journey_load=reader.say("journey_load"),
        any_load=any(_loaded(d) for row in wall.rows for d in row.days),
    )


def written_touches(workspace: Workspace) -> list[CampaignPlan]:
    """Every campaign with the touches its file gives, for the iCalendar export."""
    return [
        CampaignPlan(campaign, touches=[ProposedTouch.written(t) for t in campaign.touches])
        for _, campaign in sorted(workspace.campaigns.items())
    ]


EMITTERS: dict[str, Emitter[Shown]] = {"text": text}
