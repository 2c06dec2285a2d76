"""Measure rendered text against a channel's limits: characters, words, SMS segments, time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mcplan.findings import Level
from mcplan.render import gsm
from mcplan.workspace import Channel

WORDS_PER_MINUTE = 150  # a calm spoken pace for voice messages and phone scripts
_URL = re.compile(r"https?://\S+")
_HASHTAG = re.compile(r"(?<![\w&])#\w+")
# X counts these code points as 1 and every other as 2 (twitter-text v3 configuration).
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
# The part that carries the message, in the order it is looked for.
MAIN_PARTS = ("text", "body", "caption", "script", "letter", "poster", "banner")


@dataclass(frozen=True)
class Measures:
    """What was measured on one part."""

    chars: int
    words: int
    longest_line: int
    sms: gsm.SmsCount | None = None
    seconds: float | None = None
    weighted_chars: int | None = None


@dataclass(frozen=True)
class Check:
    """One limit of the channel, and whether the text keeps to it."""

    limit: str
    part: str
    allowed: float
    actual: float
    level: Level

    @property
    def ok(self) -> bool:
        return self.actual <= self.allowed

    @property
    def message(self) -> str:
        actual, allowed = _number(self.actual), _number(self.allowed)
        if self.limit == "visible_chars":
            if self.ok:
                return f"{self.part}: all {actual} characters show before it is cut ({allowed})"
            return f"{self.part}: only {allowed} of {actual} characters show before it is cut"
        one, many = _UNITS[self.limit]
        return f"{self.part}: {actual} {one if self.actual == 1 else many} (limit {allowed})"


_UNITS = {
    "max_chars": ("character", "characters"),
    "segments": ("SMS segment", "SMS segments"),
    "subject_chars": ("character", "characters"),
    "preheader_chars": ("character", "characters"),
    "title_chars": ("character", "characters"),
    "line_chars": ("character on its longest line", "characters on its longest line"),
    "hashtags": ("hashtag", "hashtags"),
    "duration_seconds": ("second spoken", "seconds spoken"),
}


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def main_part(parts: list[str]) -> str:
    """The part that carries the message: ``text``, ``body``, ``caption``…, or the first."""
    for name in MAIN_PARTS:
        if name in parts:
            return name
    return parts[0] if parts else "text"


def measure(text: str, channel: Channel, part: str, main: str) -> Measures:
    """Measures of one part; SMS, spoken and weighted counts only where the channel has them."""
    lines = text.splitlines() or [""]
    limits = channel.limits
    is_main = part == main
    return Measures(
        chars=len(text),
        words=len(text.split()),
        longest_line=max(len(line) for line in lines),
        sms=gsm.count(text) if limits.segments and is_main else None,
        seconds=spoken_seconds(text) if limits.duration_seconds and is_main else None,
        weighted_chars=weighted_length(text, limits.url_chars) if limits.url_chars else None,
    )


def spoken_seconds(text: str) -> float:
    return round(len(text.split()) * 60 / WORDS_PER_MINUTE, 1)


def weighted_length(text: str, url_chars: int) -> int:
    """Length as X counts it: each link counts ``url_chars``, most non-Latin characters 2."""
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    heavy = sum(1 for c in rest if not any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT))
    return len(rest) + heavy + url_chars * len(links)


def check(channel: Channel, texts: dict[str, str], measures: dict[str, Measures]) -> list[Check]:
    """Every limit of ``channel`` that applies to these parts, passed or not."""
    limits = channel.limits
    main = main_part(list(texts))
    post = post_text(texts, main)
    checks = []

    def add(limit: str, part: str, allowed: int | None, actual: float, level: Level) -> None:
        if allowed is not None and part in texts:
            checks.append(Check(limit, part, allowed, actual, level))

    length = weighted_length(post, limits.url_chars) if limits.url_chars else len(post)
    add("max_chars", main, limits.max_chars, length, Level.ERROR)
    add("visible_chars", main, limits.visible_chars, len(texts.get(main, "")), Level.WARNING)
    if main in measures and (sms := measures[main].sms) is not None:
        add("segments", main, limits.segments, sms.segments, Level.ERROR)
    if main in measures and (seconds := measures[main].seconds) is not None:
        add("duration_seconds", main, limits.duration_seconds, seconds, Level.ERROR)
    add(
        "subject_chars", "subject", limits.subject_chars, len(texts.get("subject", "")), Level.ERROR
    )
    add(
        "preheader_chars",
        "preheader",
        limits.preheader_chars,
        len(texts.get("preheader", "")),
        Level.WARNING,
    )
    add("title_chars", "title", limits.title_chars, len(texts.get("title", "")), Level.ERROR)
    tags = "hashtags" if "hashtags" in texts else main
    add("hashtags", tags, limits.hashtags, len(_HASHTAG.findall(post)), Level.ERROR)
    if limits.line_chars is not None:
        for part in texts:
            add("line_chars", part, limits.line_chars, measures[part].longest_line, Level.ERROR)
    return checks


def post_text(texts: dict[str, str], main: str) -> str:
    """What a social post shows: its caption, then its hashtags."""
    text = texts.get(main, "")
    if texts.get("hashtags") and main != "hashtags":
        text = f"{text}\n\n{texts['hashtags']}" if text else texts["hashtags"]
    return text
