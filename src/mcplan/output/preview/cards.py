"""What the page template is given for each version: a card with its mockup family, measures,
checks and findings in the page's language, and its mockup's words in the version's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel.core import UnknownLocaleError
from babel.dates import format_date

from mcplan.findings import Finding
from mcplan.output.preview.text import number, show_char
from mcplan.render import limits, measure
from mcplan.render.email import written_html
from mcplan.render.engine import Part, Version
from mcplan.render.gsm import SmsCount
from mcplan.words import Reader, app_words, babel_locale
from mcplan.workspace import Campaign, Channel, Workspace
from mcplan.workspace.fields import url_host

_PLACED: dict[str, tuple[str, ...]] = {
    "email": ("subject", "preheader"),
    "social": ("hashtags",),
    "push": ("title",),
}
# How a social network lays a post out: the text above its picture (feed), under it (photo), or
# over a vertical video (video).
_POST_LAYOUTS = {"instagram": "photo", "tiktok": "video"}

# The limits the page writes a label and a sentence for (PAGE's limit_* and over_* keys).
_LIMITS = (
    "max_chars",
    "visible_chars",
    "segments",
    "subject_chars",
    "preheader_chars",
    "title_chars",
    "line_chars",
    "hashtags",
    "duration_seconds",
)


@dataclass(frozen=True)
class MeasureRow:
    part: str
    origin: str  # "template" or "variant"
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CheckRow:
    ok: bool
    level: str  # "error", "warning" or "info"
    label: str
    part: str
    actual: str
    allowed: str
    sentence: str


@dataclass(frozen=True)
class Note:
    """One line of a card's findings: a failed check, or a lint finding with its place."""

    level: str
    where: str
    rule: str
    message: str
    hint: str


@dataclass(frozen=True)
class Moment:
    """When the version is shown on the mockups: the first touch on its channel, if any."""

    clock: str
    day: str


@dataclass(frozen=True)
class Card:
    version: Version
    channel: Channel
    name: str  # the channel's, in the page's language when it is a bundled channel's
    family: str
    audience: tuple[str, ...]
    main: str
    extra: tuple[Part, ...]
    layout: str  # social posts: "feed", "photo" or "video"
    domain: str
    moment: Moment
    columns: tuple[str, ...]
    rows: tuple[MeasureRow, ...]
    sms: tuple[tuple[str, str], ...]
    non_gsm: tuple[str, ...]
    seconds: str
    checks: tuple[CheckRow, ...]
    gsm_changes: tuple[str, ...]
    notes: tuple[Note, ...]
    status: str  # "ok", "warning" or "fail"
    words: Mapping[str, str]
    html: str = ""  # an e-mail's HTML as it is sent, shown in a sandboxed frame
    step: str = ""  # a journey's send step the version is of (its id)


def card(
    workspace: Workspace,
    campaign: Campaign,
    version: Version,
    findings: Sequence[Finding],
    reader: Reader,
) -> Card:
    """The card of ``version``: its panel in the ``reader``'s language, its mockup in the
    version's."""
    channel = workspace.channels[version.channel]
    family = channel.kind.value if channel.kind else "plain"
    main = measure.main_part([p.name for p in version.parts])
    columns, rows = _measure_rows(version, reader)
    main_measures = next((p.measures for p in version.parts if p.name == main), None)
    checks = tuple(_check_row(c, reader) for c in version.checks)
    notes = _notes(checks, findings)
    words = app_words(version.locale)
    return Card(
        version=version,
        channel=channel,
        name=(f"{version.step} · " if version.step else "") + reader.channel(channel),
        family=family,
        audience=_audience(workspace, version),
        main=main,
        extra=_extra_parts(version, family, main),
        layout=_POST_LAYOUTS.get(version.channel, "feed"),
        domain=url_host(version.link),
        moment=_moment(campaign, version, words["day"]),
        columns=columns,
        rows=rows,
        sms=_sms_facts(main_measures.sms, reader) if main_measures else (),
        non_gsm=_non_gsm(main_measures.sms) if main_measures else (),
        seconds=_seconds(main_measures, version, reader) if main_measures else "",
        checks=checks,
        gsm_changes=tuple(
            f"{show_char(a)} → {show_char(b)} ×{times}" for a, b, times in version.gsm_changes
        ),
        notes=notes,
        status=_status(notes),
        words=words,
        html=written_html(version, campaign, workspace) if family == "email" else "",
        step=version.step or "",
    )


def _audience(workspace: Workspace, version: Version) -> tuple[str, ...]:
    """The names of the personas the version is for (an id the workspace does not know as
    itself)."""
    return tuple(
        workspace.personas[p].name or p if p in workspace.personas else p for p in version.personas
    )


def _extra_parts(version: Version, family: str, main: str) -> tuple[Part, ...]:
    """The parts the family's mockup has no place for (a plain card places every part)."""
    names = [p.name for p in version.parts]
    placed = {main, *_PLACED.get(family, ())} if family != "plain" else set(names)
    return tuple(p for p in version.parts if p.name not in placed)


def _notes(checks: Sequence[CheckRow], findings: Sequence[Finding]) -> tuple[Note, ...]:
    """The card's findings: its failed checks, then the lint findings about it."""
    failed = tuple(Note(c.level, "", "", c.sentence, "") for c in checks if not c.ok)
    return failed + tuple(note(f) for f in sorted(findings))


def _status(notes: Sequence[Note]) -> str:
    """ "fail" for an error among the notes, "warning" for any other note, else "ok"."""
    levels = {n.level for n in notes}
    return "fail" if "error" in levels else "warning" if levels else "ok"


def _seconds(measures: measure.Measures, version: Version, reader: Reader) -> str:
    """The main part's duration, written in the version's language (the mockup's numbers)."""
    if measures.seconds is None:
        return ""
    spoken = babel_locale(version.locale) or reader.locale
    return number(measures.seconds, spoken)


def _non_gsm(sms: SmsCount | None) -> tuple[str, ...]:
    """The characters of an SMS that GSM-7 cannot encode, each shown (invisible ones too)."""
    return tuple(show_char(c) for c in sms.non_gsm) if sms else ()


def _sms_facts(sms: SmsCount | None, reader: Reader) -> tuple[tuple[str, str], ...]:
    """An SMS's encoding, length and segments, in the reader's language."""
    if sms is None:
        return ()
    t = reader.words
    unit = t["septets"] if sms.encoding == "GSM-7" else t["utf16_units"]
    return (
        (t["encoding"], sms.encoding),
        (t["length"], f"{number(sms.units, reader.locale)} {unit}"),
        (t["segments"], number(sms.segments, reader.locale)),
    )


def _measure_rows(
    version: Version, reader: Reader
) -> tuple[tuple[str, ...], tuple[MeasureRow, ...]]:
    """The measures table: a column for each measure that at least one part has."""
    t = reader.words
    measures = [p.measures for p in version.parts]
    columns = [t["chars"], t["words"]]
    has_seconds = any(m.seconds is not None for m in measures)
    has_weighted = any(m.weighted_chars is not None for m in measures)
    if has_seconds:
        columns.append(t["seconds"])
    if has_weighted:
        columns.append(t["x_weight"])

    def show(value: float | None) -> str:
        return number(value, reader.locale) if value is not None else "–"

    rows = []
    for part in version.parts:
        m = part.measures
        cells = [show(m.chars), show(m.words)]
        if has_seconds:
            cells.append(show(m.seconds))
        if has_weighted:
            cells.append(show(m.weighted_chars))
        rows.append(MeasureRow(reader.part(part.name), part.origin, tuple(cells)))
    return tuple(columns), tuple(rows)


def _check_row(check: limits.Check, reader: Reader) -> CheckRow:
    actual, allowed = number(check.actual, reader.locale), number(check.allowed, reader.locale)
    known = check.limit in _LIMITS
    sentence = (
        reader.say(
            f"over_{check.limit}", part=reader.part(check.what), actual=actual, allowed=allowed
        )
        if known
        else check.message
    )
    return CheckRow(
        ok=check.ok,
        level=str(check.level),
        label=reader.words[f"limit_{check.limit}"] if known else check.limit,
        part=reader.part(check.what),
        actual=actual,
        allowed=allowed,
        sentence=sentence,
    )


def note(finding: Finding) -> Note:
    return Note(
        level=str(finding.level),
        where=str(finding.location),
        rule=finding.rule,
        message=finding.message,
        hint=finding.hint,
    )


def _moment(campaign: Campaign, version: Version, pattern: str) -> Moment:
    """The first touch on the version's channel for its personas, else the campaign's start;
    its day written with the CLDR ``pattern`` in the version's locale."""
    at: datetime | None = None
    for touch in campaign.touches:
        if touch.channel != version.channel:
            continue
        if touch.personas is None or set(touch.personas) & set(version.personas):
            at = touch.at
            break
    day: date | None = at.date() if at else campaign.first_day
    locale = version.locale.replace("-", "_")
    try:
        day_text = format_date(day, pattern, locale=locale) if day else ""
    except (UnknownLocaleError, ValueError):  # a locale babel does not know
        day_text = day.isoformat() if day else ""
    return Moment(clock=f"{at:%H:%M}" if at else "9:41", day=day_text)
