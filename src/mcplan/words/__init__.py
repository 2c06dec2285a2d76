"""Every word mcplan writes itself, in each language it speaks: one catalogue.

A file per language (``fr.yaml``, ``en.yaml``…), with the same keys in every one:

- ``page`` is mcplan's own interface (the preview and the calendar pages, the reports'
  headings, labels and sentences): it speaks the workspace's language (``settings.locale``);
- ``app`` is what the mocked-up apps write around a message ("Inbox", "now", "Like"…): it
  speaks each version's language (``version.locale``), as the reader's phone would.

A language without a file reads English. ``{name}`` in a text is filled by :meth:`Reader.say`;
``app`` ``day`` is a CLDR date pattern. Findings are not here: their messages stay as the lint
rules write them (their numbers follow the locale, :mod:`mcplan.numbers`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources

from babel import Locale, UnknownLocaleError

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
        return cls(lang, found or Locale.parse(lang), catalogue(lang)["page"])

    def say(self, key: str, **values: object) -> str:
        """The text of ``key``, its ``{name}`` placeholders filled with ``values``."""
        text = self.words[key].format(**values)
        return _ITALIAN_ELISION.sub(r"\1l'", text) if self.language == "it" else text

    def long_date(self, day: date) -> str:
        from mcplan.render.filters import long_date

        return long_date(day, self.locale)


def reader() -> Reader:
    """The reader of the command being run: the workspace's locale, which the command line
    sets for each command (:func:`mcplan.numbers.set_locale`), else English."""
    from mcplan.numbers import current_locale

    return Reader.of(current_locale() or FALLBACK)


__all__ = ["FALLBACK", "LANGUAGES", "Reader", "app_words", "babel_locale", "catalogue", "reader"]
