"""What the page template is given for each version: a card with its mockup family, measures,
checks and findings, in the page's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from babel.core import UnknownLocaleError
from babel.dates import format_date

from mcplan.findings import Finding
from mcplan.output.preview.text import number, show_char
from mcplan.render import limits, measure
from mcplan.render.engine import Part, Version
from mcplan.render.gsm import SmsCount
from mcplan.workspace import Campaign, Channel, Workspace

_PLACED: dict[str, tuple[str, ...]] = {
    "email": ("subject", "preheader"),
    "social": ("hashtags",),
    "push": ("title",),
}
# How a social network lays a post out: the text above its picture (feed), under it (photo), or
# over a vertical video (video).
_POST_LAYOUTS = {"instagram": "photo", "tiktok": "video"}

_LIMIT_LABELS = {
    "max_chars": "caractères au plus",
    "visible_chars": "caractères visibles",
    "segments": "segments SMS",
    "subject_chars": "caractères de l'objet",
    "preheader_chars": "caractères du pré-en-tête",
    "title_chars": "caractères du titre",
    "line_chars": "caractères par ligne",
    "hashtags": "hashtags",
    "duration_seconds": "secondes parlées",
}
_SENTENCES = {
    "max_chars": "{part} : {actual} caractères, pour {allowed} au plus.",
    "visible_chars": "{part} : {actual} caractères, mais seuls les {allowed} premiers "
    "s'affichent avant la coupure.",
    "segments": "{part} : {actual} segments SMS, pour {allowed} au plus.",
    "subject_chars": "{part} : {actual} caractères, pour {allowed} au plus.",
    "preheader_chars": "{part} : {actual} caractères, dont seuls {allowed} s'affichent.",
    "title_chars": "{part} : {actual} caractères, pour {allowed} au plus.",
    "line_chars": "{part} : une ligne de {actual} caractères, pour {allowed} au plus.",
    "hashtags": "{part} : {actual} hashtags, pour {allowed} au plus.",
    "duration_seconds": "{part} : {actual} secondes de texte parlé, pour {allowed} au plus.",
}

# What the mocked-up apps write around the text, in the version's language (default English).
_APP_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "more": "plus",
        "full_text": "Texte complet",
        "now": "maintenant",
        "sms": "SMS",
        "inbox": "Boîte de réception",
        "to": "À : moi",
        "like": "J'aime",
        "comment": "Commenter",
        "share": "Partager",
        "picture": "Visuel",
        "video": "Vidéo",
        "script": "Script d'appel",
        "voicemail": "Message vocal",
        "duration": "durée parlée",
    },
    "en": {
        "more": "more",
        "full_text": "Full text",
        "now": "now",
        "sms": "Text message",
        "inbox": "Inbox",
        "to": "To: me",
        "like": "Like",
        "comment": "Comment",
        "share": "Share",
        "picture": "Picture",
        "video": "Video",
        "script": "Call script",
        "voicemail": "Voicemail",
        "duration": "spoken time",
    },
}


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


def card(
    workspace: Workspace, campaign: Campaign, version: Version, findings: Sequence[Finding]
) -> Card:
    channel = workspace.channels[version.channel]
    family = channel.kind.value if channel.kind else "plain"
    names = [p.name for p in version.parts]
    main = measure.main_part(names)
    placed = {main, *_PLACED.get(family, ())} if family != "plain" else set(names)
    columns, rows = _measure_rows(version)
    main_measures = next((p.measures for p in version.parts if p.name == main), None)
    sms = main_measures.sms if main_measures else None
    seconds = main_measures.seconds if main_measures else None
    checks = tuple(_check_row(c) for c in version.checks)
    notes = tuple(Note(c.level, "", "", c.sentence, "") for c in checks if not c.ok) + tuple(
        note(f) for f in sorted(findings)
    )
    levels = {n.level for n in notes}
    status = "fail" if "error" in levels else "warning" if levels else "ok"
    language = version.locale.split("-")[0].lower()
    return Card(
        version=version,
        channel=channel,
        family=family,
        audience=tuple(
            workspace.personas[p].name or p if p in workspace.personas else p
            for p in version.personas
        ),
        main=main,
        extra=tuple(p for p in version.parts if p.name not in placed),
        layout=_POST_LAYOUTS.get(version.channel, "feed"),
        domain=(urlsplit(version.link).hostname or "") if version.link else "",
        moment=_moment(campaign, version),
        columns=columns,
        rows=rows,
        sms=_sms_facts(sms) if sms else (),
        non_gsm=tuple(show_char(c) for c in sms.non_gsm) if sms else (),
        seconds=number(seconds) if seconds is not None else "",
        checks=checks,
        gsm_changes=tuple(
            f"{show_char(a)} → {show_char(b)} ×{times}" for a, b, times in version.gsm_changes
        ),
        notes=notes,
        status=status,
        words=_APP_WORDS.get(language, _APP_WORDS["en"]),
    )


def _sms_facts(sms: SmsCount) -> tuple[tuple[str, str], ...]:
    unit = "septets" if sms.encoding == "GSM-7" else "unités UTF-16"
    return (
        ("Encodage", sms.encoding),
        ("Longueur", f"{number(sms.units)} {unit}"),
        ("Segments", number(sms.segments)),
    )


def _measure_rows(version: Version) -> tuple[tuple[str, ...], tuple[MeasureRow, ...]]:
    """The measures table: a column for each measure that at least one part has."""
    measures = [p.measures for p in version.parts]
    columns = ["Caractères", "Mots"]
    has_seconds = any(m.seconds is not None for m in measures)
    has_weighted = any(m.weighted_chars is not None for m in measures)
    if has_seconds:
        columns.append("Secondes")
    if has_weighted:
        columns.append("Poids X")
    rows = []
    for part in version.parts:
        m = part.measures
        cells = [number(m.chars), number(m.words)]
        if has_seconds:
            cells.append(number(m.seconds) if m.seconds is not None else "–")
        if has_weighted:
            cells.append(number(m.weighted_chars) if m.weighted_chars is not None else "–")
        rows.append(MeasureRow(part.name, part.origin, tuple(cells)))
    return tuple(columns), tuple(rows)


def _check_row(check: limits.Check) -> CheckRow:
    values = {"part": check.what, "actual": number(check.actual), "allowed": number(check.allowed)}
    sentence = _SENTENCES[check.limit].format(**values) if check.limit in _SENTENCES else ""
    return CheckRow(
        ok=check.ok,
        level=str(check.level),
        label=_LIMIT_LABELS.get(check.limit, check.limit),
        part=check.what,
        actual=values["actual"],
        allowed=values["allowed"],
        sentence=sentence or check.message,
    )


def note(finding: Finding) -> Note:
    return Note(
        level=str(finding.level),
        where=str(finding.location),
        rule=finding.rule,
        message=finding.message,
        hint=finding.hint,
    )


def _moment(campaign: Campaign, version: Version) -> Moment:
    """The first touch on the version's channel for its personas, else the campaign's start."""
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
        day_text = format_date(day, "EEEE d MMMM", locale=locale) if day else ""
    except (UnknownLocaleError, ValueError):  # a locale babel does not know
        day_text = day.isoformat() if day else ""
    return Moment(clock=f"{at:%H:%M}" if at else "9:41", day=day_text)
