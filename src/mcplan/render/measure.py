"""Measure rendered text: characters, words, SMS segments, spoken time, X's weighted length."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mcplan.render import gsm
from mcplan.workspace import Channel

WORDS_PER_MINUTE = 150  # a calm spoken pace for voice messages and phone scripts
_URL = re.compile(r"https?://\S+")
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


def post_text(texts: dict[str, str], main: str) -> str:
    """What a social post shows: its caption, then its hashtags."""
    text = texts.get(main, "")
    if texts.get("hashtags") and main != "hashtags":
        text = f"{text}\n\n{texts['hashtags']}" if text else texts["hashtags"]
    return text
