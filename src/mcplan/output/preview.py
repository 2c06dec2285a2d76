"""`mcplan preview`: one self-contained HTML page showing every version of a rendered campaign.

Each version gets a card: a mockup of how the channel shows it (a phone's SMS thread, a mail
client, a social post, a lock screen…) beside its measures, its limit checks and its findings.

The page is our own Jinja template (package data, not a user template), rendered with
autoescaping on: every text that comes from the workspace is escaped by Jinja, and nothing is
marked safe. Links are built from that escaped text, and only for http(s) URLs. The page has no
script and loads nothing: its Content-Security-Policy allows inline styles and data: images only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from mcplan.errors import UsageError
from mcplan.files import write_file
from mcplan.findings import Finding
from mcplan.lint.engine import lint
from mcplan.render import limits, measure, render_campaign
from mcplan.render.engine import Part, Rendering, Version
from mcplan.render.filters import long_date
from mcplan.render.gsm import SmsCount
from mcplan.workspace import Campaign, Channel, Workspace

UI_LOCALE = "fr_FR"  # the page's own labels are French

# The parts a mockup shows in place, besides the main one; the others are listed under it.
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

_LINKABLE = re.compile(r"(?P<url>https?://[^\s<>\"'`]+)|(?P<tag>(?<![\w&])#\w+)")
_URL_TAIL = ".,;:!?)]}»’'\""  # punctuation that ends a sentence rather than the URL
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# -- text helpers (also the template's filters) ----------------------------------------------


@dataclass(frozen=True)
class Token:
    """A run of text: plain ``text``, a ``url`` (http or https) or a hashtag (``tag``)."""

    kind: str
    text: str


Line = tuple[Token, ...]
Paragraph = tuple[Line, ...]


def tokens(line: str) -> Line:
    """``line`` split into plain text, http(s) URLs and hashtags."""
    out: list[Token] = []
    position = 0
    for match in _LINKABLE.finditer(line):
        start, end = match.span()
        kind = "url" if match["url"] else "tag"
        if kind == "url":
            end = start + len(match[0].rstrip(_URL_TAIL))
            if end - start <= len("https://"):
                continue
        if start > position:
            out.append(Token("text", line[position:start]))
        out.append(Token(kind, line[start:end]))
        position = end
    if position < len(line):
        out.append(Token("text", line[position:]))
    return tuple(out)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs (split on blank lines) of lines of tokens; line breaks are kept as lines."""
    blocks = [block.strip("\n") for block in _PARAGRAPH_BREAK.split(text.strip())]
    return tuple(tuple(tokens(line) for line in block.split("\n")) for block in blocks if block)


def lines(text: str) -> tuple[Line, ...]:
    """Every line of ``text``, blank ones dropped (for posters and banners)."""
    return tuple(tokens(line.strip()) for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Cut:
    """What shows of a text cut after ``limit`` characters."""

    shown: str
    cut: bool


def cut(text: str, limit: int | None) -> Cut:
    if limit is None or len(text) <= limit:
        return Cut(text, False)
    return Cut(text[:limit].rstrip(), True)


@dataclass(frozen=True)
class Banner:
    text: str
    cta: str


def banner(text: str, cta: str) -> Banner:
    """A banner's text and its button: the call to action, taken off the end of the text."""
    if cta and text.endswith(cta) and len(text) > len(cta):
        return Banner(text[: -len(cta)].rstrip(" —–-:·|"), cta)
    return Banner(text, cta)


def initials(name: str) -> str:
    """Up to two initials for an avatar: "Maison Lumen" → "ML"."""
    words = [w for w in re.split(r"[^\w]+", name) if w]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def handle(name: str) -> str:
    """A social handle made from a name: "Maison Lumen" → "maisonlumen"."""
    return "".join(c for c in name.lower() if c.isalnum() or c in "._") or "brand"


def show_char(char: str) -> str:
    """A character as it can be read on the page: invisible ones by their code point."""
    if not char:
        return "∅"
    if all(c.isprintable() and not c.isspace() for c in char):
        return char
    return " ".join(f"U+{ord(c):04X}" for c in char)


def number(value: float) -> str:
    """A count or a measure in the page's French style: "63 206", "36,4"."""
    return format_decimal(value, locale=UI_LOCALE)


# -- what the template is given ---------------------------------------------------------------


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


def preview_html(
    workspace: Workspace,
    rendering: Rendering,
    *,
    findings: Mapping[str, Sequence[Finding]] | None = None,
) -> str:
    """One self-contained HTML page showing every version of a rendered campaign.

    ``findings`` (by version key) are listed in that version's card, after its failed checks:
    the place for lint findings.
    """
    campaign = rendering.campaign
    cards = [
        _card(workspace, campaign, v, (findings or {}).get(v.key, ())) for v in rendering.versions
    ]
    return _template().render(
        campaign=campaign,
        title=campaign.name or campaign.id,
        brand=campaign.brand or campaign.name or campaign.id,
        dates=_dates(campaign),
        message=campaign.message,
        template_findings=[_note(f) for f in rendering.findings],
        cards=cards,
    )


def write_preview(
    workspace: Workspace,
    campaign: str,
    target: Path,
    *,
    channels: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
    force: bool = False,
) -> Rendering:
    """Render a campaign, lint the workspace, and write the page with each version's findings
    into ``target`` (never over an existing file unless ``force``)."""
    rendering = render_campaign(workspace, campaign, channels=channels, personas=personas)
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; add --force to overwrite it")
    beside = findings_by_version(lint(workspace).findings, rendering)
    write_file(target, preview_html(workspace, rendering, findings=beside), force=True)
    return rendering


def findings_by_version(
    findings: Sequence[Finding], rendering: Rendering
) -> dict[str, list[Finding]]:
    """The lint findings about each version's text, by version key.

    A finding is about a version's text when its subject names a part, the version's campaign
    and channel, and (when it names one) a persona the version is for.
    """
    by_key: dict[str, list[Finding]] = {}
    for version in rendering.versions:
        mine = [f for f in findings if _about(f, version)]
        if mine:
            by_key[version.key] = mine
    return by_key


def _about(finding: Finding, version: Version) -> bool:
    subject = finding.subject
    return (
        subject.part is not None
        and subject.campaign == version.campaign
        and subject.channel == version.channel
        and (subject.persona is None or subject.persona in version.personas)
        and (version.persona is None or subject.persona in (None, version.persona))
    )


@functools.cache
def _template() -> jinja2.Template:
    source = (resources.files("mcplan.output") / "preview.html.j2").read_text("utf-8")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        paragraphs=paragraphs,
        lines=lines,
        cut=cut,
        banner=banner,
        initials=initials,
        handle=handle,
        number=number,
    )
    return environment.from_string(source)


def _card(
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
        _note(f) for f in sorted(findings)
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
    values = {"part": check.part, "actual": number(check.actual), "allowed": number(check.allowed)}
    sentence = _SENTENCES[check.limit].format(**values) if check.limit in _SENTENCES else ""
    return CheckRow(
        ok=check.ok,
        level=str(check.level),
        label=_LIMIT_LABELS.get(check.limit, check.limit),
        part=check.part,
        actual=values["actual"],
        allowed=values["allowed"],
        sentence=sentence or check.message,
    )


def _note(finding: Finding) -> Note:
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


def _dates(campaign: Campaign) -> str:
    first, last = campaign.first_day, campaign.last_day

    def long(day: date) -> str:
        return long_date(day, UI_LOCALE)

    if first and last:
        return f"du {long(first)} au {long(last)}"
    if first:
        return f"à partir du {long(first)}"
    if last:
        return f"jusqu'au {long(last)}"
    return ""
