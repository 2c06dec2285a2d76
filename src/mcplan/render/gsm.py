"""SMS encoding: the GSM 03.38 alphabet, segment counting, and GSM-safe look-alikes.

An SMS is sent in the GSM 7-bit default alphabet when every character belongs to it (160
septets in one message, 153 per part once split, the 7 others holding the concatenation
header); characters of the extension table (``€ [ ] { } \\ ^ ~ |`` and form feed) take two
septets. One character outside both tables switches the whole message to UCS-2: 70 UTF-16
code units in one message, 67 per part. French copy is a trap: é è à ù É Ç are GSM, but
ç ê â î ô û ë ï œ « » ’ and non-breaking spaces are not.

Tables from 3GPP TS 23.038, §6.2.1 (default alphabet) and §6.2.1.1 (extension table).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# Code points 0x00–0x7F of the default alphabet, in order.
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "\f^{}\\[~]|€"
_BASIC = frozenset(BASIC) - {"\x1b"}
_EXTENSION = frozenset(EXTENSION)

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Look-alikes for characters GSM-7 lacks; anything else is tried without its accents.
_LOOK_ALIKES = {
    "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2212": "-", "\u2010": "-",
    "\u2026": "...", "\u2022": "-", "\u00b7": ".",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ",
    "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ",
    "\u200b": "", "\u2060": "", "\ufeff": "",
    "\u0153": "oe", "\u0152": "OE", "\u00e7": "c",
    "\u2122": "TM", "\u00a9": "(c)", "\u00ae": "(R)",
}  # fmt: skip


@dataclass(frozen=True)
class SmsCount:
    """How an SMS text is sent: its encoding, its length in units, and its parts."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    non_gsm: tuple[str, ...]  # the characters that forced UCS-2, in order of appearance


def is_gsm(text: str) -> bool:
    """Whether ``text`` can be sent in the GSM 7-bit alphabet (with its extension table)."""
    return all(c in _BASIC or c in _EXTENSION for c in text)


def count(text: str) -> SmsCount:
    """Encoding, length and number of segments of an SMS.

    A character never straddles two parts: a two-septet extension character, or a UTF-16
    surrogate pair, that would not fit at the end of a part starts the next one (as phones
    and SMS centres split them). The text is read by C loops (``dict.fromkeys``, regular
    expressions), not a character at a time: a hand-written SMS may be a megabyte long.
    """
    non_gsm = tuple(c for c in dict.fromkeys(text) if c not in _BASIC and c not in _EXTENSION)
    if not non_gsm:
        doubles = [m.start() for m in _TWO_SEPTETS.finditer(text)]
        single, part, encoding = GSM_SINGLE, GSM_PART, "GSM-7"
    else:
        doubles = [m.start() for m in _SURROGATE_PAIR.finditer(text)]
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    units = len(text) + len(doubles)
    return SmsCount(encoding, units, _segments(len(text), doubles, single, part), non_gsm)


_TWO_SEPTETS = re.compile(f"[{re.escape(EXTENSION)}]")
_SURROGATE_PAIR = re.compile("[\U00010000-\U0010ffff]")


def _segments(length: int, doubles: list[int], single: int, part: int) -> int:
    """Parts of a text of ``length`` characters, each one unit but those at ``doubles`` (two
    units, never split): the singles between two doubles are added at once."""
    units = length + len(doubles)
    if units <= single:
        return 1 if units else 0
    segments, used, after = 1, 0, 0

    def singles(n: int) -> None:
        nonlocal segments, used
        used += n
        if used > part:  # the parts the singles fill, and what is left in the last one
            segments += (used - 1) // part
            used = (used - 1) % part + 1

    for at in doubles:
        singles(at - after)
        if used + 2 > part:
            segments += 1
            used = 0
        used += 2
        after = at + 1
    singles(length - after)
    return segments


def to_gsm(text: str) -> tuple[str, Counter[tuple[str, str]]]:
    """``text`` with GSM-7 look-alikes for what GSM-7 lacks, and what was replaced.

    ’ becomes ', « » become ", ê becomes e, non-breaking spaces become spaces. A character
    with no look-alike (an emoji) is kept: the message will go out in UCS-2.
    """
    out = []
    changes: Counter[tuple[str, str]] = Counter()
    for char in text:
        if char in _BASIC or char in _EXTENSION:
            out.append(char)
            continue
        replacement = _LOOK_ALIKES.get(char)
        if replacement is None:
            stripped = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            replacement = stripped if stripped and is_gsm(stripped) else char
        if replacement != char:
            changes[(char, replacement)] += 1
        out.append(replacement)
    return "".join(out), changes
