"""Every word mcplan writes itself, in each language it speaks: one catalogue.

A file per language (``fr.yaml``, ``en.yaml``…), with the same keys in every one:

- ``page`` is mcplan's own interface (the preview and the calendar pages, the reports'
  headings, labels and sentences): it speaks the workspace's language (``settings.locale``);
- ``app`` is what the mocked-up apps write around a message ("Inbox", "now", "Like"…): it
  speaks each version's language (``version.locale``), as the reader's phone would.

A language without a file reads English. ``{name}`` in a text is filled by :meth:`Reader.say`;
``app`` ``day`` is a CLDR date pattern. A text about a number has a form per CLDR plural
category, ``conversions_one`` and ``conversions_other`` (``_many`` where the language wants
one), which :meth:`Reader.count` chooses from the number as it is written. A part of a
template is named by ``part_<name>``; a channel's name is in the channel's own file (its
``names``, :meth:`Reader.channel`).

A library module that writes a sentence a report shows (why a channel is dropped, a test's
verdict) writes a :class:`Phrase`: English wherever it is used as text (JSON, a finding's
message), and in the reader's language where a report shows it (:meth:`Reader.text`).
Findings are not here: their messages stay as the lint rules write them (their numbers follow
the locale, :mod:`mcplan.numbers`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

if TYPE_CHECKING:
    from mcplan.workspace import Channel

FALLBACK = "en"
LANGUAGES = ("fr", "en", "nl", "de", "es", "it")


@functools.cache
def catalogue(language: str) -> Mapping[str, Mapping[str, str]]:
    """The ``page`` and ``app`` words of ``language`` (one of :data:`LANGUAGES`)."""
    import yaml

    text = resources.files(__package__).joinpath(f"{language}.yaml").read_text("utf-8")
    loaded: dict[str, dict[str, str]] = yaml.load(
        text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    return loaded


def language(locale: str) -> str:
    """The catalogue a reader of ``locale`` ("nl-BE", "pt_PT") reads: its language's, else
    English."""
    code = re.split(r"[-_]", locale, maxsplit=1)[0].lower()
    return code if code in LANGUAGES else FALLBACK


def app_words(locale: str) -> Mapping[str, str]:
    """What the mocked-up apps of a version in ``locale`` write around its text."""
    return catalogue(language(locale))["app"]


def babel_locale(locale: str) -> Locale | None:
    """Babel's locale for "nl-BE" or "nl_BE", or None if babel does not know it."""
    try:
        return Locale.parse(locale.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return None


# Italian elides the article before a vowel: "dall'8 aprile", "fino all'11 maggio".
_ITALIAN_ELISION = re.compile(r"\b([Dd]al|al) (?=(?:8|11) )")


@dataclass(frozen=True)
class Reader:
    """Who reads what mcplan writes: the catalogue of its language, and the locale its dates
    and numbers are written in."""

    language: str  # one of LANGUAGES: a page's <html lang>
    locale: Locale
    words: Mapping[str, str]
    asked: str = ""  # the workspace's locale ("pl-PL"), whose channel names come first

    @classmethod
    def of(cls, locale: str) -> Reader:
        """The reader of a workspace in ``locale``. One whose language has no catalogue reads
        English, written the English way of its region when babel knows one (en-PL), else
        plain English."""
        lang = language(locale)
        own, *region = re.split(r"[-_]", locale, maxsplit=1)
        found = babel_locale(locale) if own.lower() == lang else None
        if found is None and region:
            found = babel_locale(f"{lang}-{region[0]}")
        return cls(lang, found or Locale.parse(lang), catalogue(lang)["page"], locale)

    def say(self, key: str, **values: object) -> str:
        """The text of ``key``, its ``{name}`` placeholders filled with ``values`` (a
        :class:`Phrase` among them in this reader's language)."""
        text = self.words[key].format(**{name: self.text(v) for name, v in values.items()})
        return _ITALIAN_ELISION.sub(r"\1l'", text) if self.language == "it" else text

    def count(self, key: str, n: float, shown: str | None = None) -> str:
        """``2 conversions``, ``1 conversion``, ``1,5 conversion`` (French): the form of
        ``key`` that the language gives the number as it is written (``shown``, else ``n``),
        its ``{count}`` filled with it."""
        if shown is None:  # as mcplan.numbers writes it for the command's locale
            from mcplan import numbers

            shown = numbers.number(n) if isinstance(n, float) else numbers.count(n)
        written = shown
        form = self.locale.plural_form(self._operand(n, shown))
        chosen = f"{key}_{form}" if f"{key}_{form}" in self.words else f"{key}_other"
        return self.say(chosen, count=written)

    def _operand(self, n: float, shown: str | None) -> Decimal | float:
        """The number as it reads (``1,0`` is not ``1`` to English grammar), for its plural."""
        if shown is None:
            return n
        from babel.numbers import get_decimal_symbol

        point = get_decimal_symbol(self.locale)
        digits = "".join(c for c in shown if c.isdigit() or c == point).replace(point, ".")
        try:
            return Decimal(digits)
        except InvalidOperation:  # "–": no figure
            return n

    def text(self, value: object) -> str:
        """A value to show: a :class:`Phrase` (or :class:`Days`) in this reader's language, a
        tuple as its items one after the other (``a, b``), anything else as it is."""
        if isinstance(value, Phrase | Days):
            return value.said_by(self)
        if isinstance(value, tuple):
            return ", ".join(self.text(item) for item in value)
        return str(value)

    def part(self, name: str) -> str:
        """A template part's name as the language calls it ("oggetto" for ``subject``); a part
        the catalogue does not know (a workspace's own) keeps its name. ``caption + hashtags``:
        each part."""
        return " + ".join(self.words.get(f"part_{p}", p) for p in name.split(" + "))

    def channel(self, channel: Channel) -> str:
        """The channel's name in the reader's language (:meth:`Channel.title`)."""
        return channel.title(self.asked or self.language)

    def long_date(self, day: date) -> str:
        from mcplan.render.filters import long_date

        return long_date(day, self.locale)


@functools.cache
def _english() -> Reader:
    return Reader.of(FALLBACK)


class Phrase(str):
    """A sentence of the catalogue, written by a library module for a report to show: as a
    ``str`` it is the English text (what JSON and findings carry), and :meth:`Reader.text`
    says it in the report's language. Its values are filled in as they are (numbers already
    written for the locale); a value may itself be a phrase."""

    key: str
    values: Mapping[str, object]
    number: float | None  # a counted phrase's number (:meth:`Reader.count`)

    def __new__(cls, key: str, /, **values: object) -> Phrase:
        return cls._made(key, values, None)

    @classmethod
    def counted(cls, key: str, n: float, shown: str | None = None) -> Phrase:
        """``2 conversions``: :meth:`Reader.count` of ``key``."""
        return cls._made(key, {"count": shown} if shown is not None else {}, n)

    @classmethod
    def _made(cls, key: str, values: Mapping[str, object], number: float | None) -> Phrase:
        made = super().__new__(cls, _said(_english(), key, values, number))
        made.key, made.values, made.number = key, dict(values), number
        return made

    def said_by(self, reader: Reader) -> str:
        """The phrase in ``reader``'s language."""
        return _said(reader, self.key, self.values, self.number)

    def __reduce__(self) -> tuple[object, ...]:  # pickled as what it says, not as its text
        return Phrase._made, (self.key, self.values, self.number)


@dataclass(frozen=True)
class Days:
    """Days of the week (0 is Monday) as the reader's language abbreviates them (CLDR):
    ``Mon–Fri``, ``lun.–ven.``, ``Mon, Wed``, or the words for every day and for none."""

    numbers: tuple[int, ...]

    def said_by(self, reader: Reader) -> str:
        from babel.dates import get_day_names

        numbers = sorted(set(self.numbers))
        if len(numbers) == 7:
            return reader.say("every_day")
        if not numbers:
            return reader.say("no_day")
        names = get_day_names("abbreviated", locale=reader.locale)
        shown = [names[n] for n in numbers]
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{shown[0]}–{shown[-1]}"
        return ", ".join(shown)

    def __str__(self) -> str:
        return self.said_by(_english())


def _said(reader: Reader, key: str, values: Mapping[str, object], number: float | None) -> str:
    if number is None:
        return reader.say(key, **values)
    shown = values.get("count")
    return reader.count(key, number, None if shown is None else str(shown))


def reader() -> Reader:
    """The reader of the command being run: the workspace's locale, which the command line
    sets for each command (:func:`mcplan.numbers.set_locale`), else English."""
    from mcplan.numbers import current_locale

    return Reader.of(current_locale() or FALLBACK)


__all__ = [
    "FALLBACK",
    "LANGUAGES",
    "Days",
    "Phrase",
    "Reader",
    "app_words",
    "babel_locale",
    "catalogue",
    "reader",
]
