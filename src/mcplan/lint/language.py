"""Which language a sentence of copy is written in, to find copy its readers cannot read.

The detector is lingua's (its models ship in the package: nothing is downloaded), restricted
to the languages mcplan writes (French, English, Dutch, German, Spanish, Italian), in its
low-accuracy mode (trigrams: fast, and accurate enough on a sentence), built once, on first
use; a sentence it finds in another language is confirmed by lingua's high-accuracy mode
(its larger models are loaded only then, so a workspace whose copy is in its readers'
languages never pays for them: on short texts the low-accuracy mode alone takes "Spring on
two wheels" for Dutch). A text is cut into sentences at sentence marks, line breaks and links;
links, e-mail addresses, @mentions, hashtags, numbers, codes, words in capitals and the brand
are left out. A text is said to be in a language only when it is long enough (`MIN_WORDS`
words of letters, `MIN_LETTERS` letters) and both modes are sure of it (`CONFIDENCE`,
`CONFIRMATION`, `DOUBT`); a shorter or mixed one ("Black Friday: -30 %", a product name) is in no
language, and never reported.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = [
    "CONFIDENCE",
    "CONFIRMATION",
    "DOUBT",
    "MAX_CONFIRMATIONS",
    "MAX_SENTENCES",
    "MAX_WORDS",
    "MIN_LETTERS",
    "MIN_WORDS",
    "Sentence",
    "foreign",
    "language_of",
    "sentences",
]

MIN_WORDS = 4
MIN_LETTERS = 18
CONFIDENCE = 0.9
CONFIRMATION = 0.7
DOUBT = 0.1
# What one text costs at most, whatever it holds: the sentences read (copy has far fewer), and
# the reads by the accurate detector (2 ms each), after which a doubt is no finding.
MAX_SENTENCES = 100
MAX_CONFIRMATIONS = 3
MAX_WORDS = 300  # of a text, read by the detector: enough to tell its language
# A sentence mark with what follows, a line break, a link, an e-mail address: where copy is
# cut. Each try starts at the beginning of a run (the look-behinds), so that a hostile text
# ("a.a.a.a…", "......") is read in linear time.
_DOMAIN = r"(?<![\w.\-])[a-z0-9][\w\-]*(?:\.[\w\-]+)*\.[a-z]{2,6}\b(?:/\S*)?"
_LINK = rf"(?i:https?://|www\.)\S+|(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+|{_DOMAIN}"
_BREAK = re.compile(rf"(?<![.!?…;])[.!?…;]+[\s\"'’»”)]+|\n+|[|•·–—]\s|{_LINK}")
_LINKS = re.compile(_LINK)
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’][^\W\d_]+)*")
_NAMES = {
    "fr": "FRENCH",
    "en": "ENGLISH",
    "nl": "DUTCH",
    "de": "GERMAN",
    "es": "SPANISH",
    "it": "ITALIAN",
}


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text: where it is (0-based offsets) and what it says."""

    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Sentence]:
    """The sentences of ``text``, stripped, cut at sentence marks, line breaks and links."""
    start = 0
    for cut in [*_BREAK.finditer(text), None]:
        end = cut.start() if cut else len(text)
        if cut and cut.group()[0] in ".!?…;":
            end = cut.start() + len(cut.group().rstrip())
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + piece.index(stripped)
            yield Sentence(offset, offset + len(stripped), stripped)
        start = cut.end() if cut else len(text)


@functools.cache
def _detector(accurate: bool) -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _NAMES.values()]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder if accurate else builder.with_low_accuracy_mode()).build()


def _confidences(words: str, accurate: bool) -> dict[str, float]:
    """How sure the detector is that ``words`` are in each language."""
    values = _detector(accurate).compute_language_confidence_values(words)
    codes = {name: code for code, name in _NAMES.items()}
    return {codes[v.language.name]: v.value for v in values}


def language_of(
    text: str, brand: str = "", *, expected: str = "", min_words: int = MIN_WORDS
) -> str | None:
    """The language (``fr``, ``en``…) ``text`` is surely written in, or None when it is too
    short, or the detector is not sure. A text found in another language than ``expected``
    is read again by the accurate detector, which must find the same language (its
    confidences are spread wider: `CONFIRMATION` is enough) and give ``expected`` no more
    than `DOUBT` ("Black Friday su tutto" is not English)."""
    return _judge(text, brand, expected, min_words, confirm=True)[0]


@functools.lru_cache(maxsize=4096)  # a text rendered for many personas is read once
def _judge(
    text: str, brand: str, expected: str, min_words: int, confirm: bool
) -> tuple[str | None, bool]:
    """`language_of`, and whether the accurate detector was asked (never, unless
    ``confirm``: then a text that seems foreign is in no language)."""
    words = _words(text, brand)
    if len(words) < min_words or sum(len(w) for w in words) < MIN_LETTERS * min_words // MIN_WORDS:
        return None, False
    joined = " ".join(words[:MAX_WORDS])
    quick = _confidences(joined, accurate=False)
    found = max(quick, key=quick.__getitem__, default="")
    if not found or quick[found] < CONFIDENCE:
        return None, False
    if found == expected:
        return found, False
    if not confirm:
        return None, False
    sure = _confidences(joined, accurate=True)
    if sure.get(found, 0.0) < CONFIRMATION or sure.get(expected, 0.0) > DOUBT:
        return None, True
    return found, True


def name(code: str) -> str:
    """A language's name in English, as findings say it ("Italian")."""
    return _NAMES.get(code, code).capitalize()


def _words(text: str, brand: str) -> list[str]:
    """The words of ``text`` that belong to a language: not links, e-mail addresses, merge
    tags ({{ unsubscribe }}), placeholders ([first name]), @mentions, hashtags, tokens with a
    digit (18h30, HIVER40), words in capitals (STOP, SMS), nor the brand."""
    text = _without(_without(_LINKS.sub(" ", text), "{{", "}}"), "[", "]")
    if brand:
        text = re.sub(re.escape(brand), " ", text, flags=re.IGNORECASE)
    words = []
    for token in text.split():
        if token[0] in "@#" or any(c.isdigit() for c in token):
            continue
        words += [w for w in _WORD.findall(token) if not w.isupper()]
    return words


def _without(text: str, opening: str, closing: str) -> str:
    """``text`` without what stands between ``opening`` and ``closing`` (in linear time)."""
    kept, at = [], 0
    while (start := text.find(opening, at)) != -1:
        end = text.find(closing, start + len(opening))
        if end == -1:
            break
        kept += [text[at:start], " "]
        at = end + len(closing)
    return "".join([*kept, text[at:]])


def foreign(text: str, language: str, brand: str = "") -> tuple[Sentence, str] | None:
    """The first sentence of ``text`` surely written in another language than ``language``,
    with the language it is in; else the whole text, when it is, though none of its sentences
    is long enough to tell. None for a language the detector does not know. At most
    `MAX_SENTENCES` sentences are read, and `MAX_CONFIRMATIONS` doubts confirmed."""
    if language not in _NAMES:
        return None
    cut = list(itertools.islice(sentences(text), MAX_SENTENCES))
    asked = 0
    for sentence in cut:
        found, used = _judge(
            sentence.text, brand, language, MIN_WORDS, confirm=asked < MAX_CONFIRMATIONS
        )
        asked += used
        if found is not None and found != language:
            return sentence, found
    if len(cut) > 1:
        whole = " ".join(s.text for s in cut)
        found, _ = _judge(whole, brand, language, MIN_WORDS, confirm=asked < MAX_CONFIRMATIONS)
        if found is not None and found != language:
            return Sentence(cut[0].start, cut[-1].end, text[cut[0].start : cut[-1].end]), found
    return None
