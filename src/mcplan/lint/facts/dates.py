"""The dates a text states: day and month names in six languages (CLDR, through babel), and
numeric and ISO dates.

See `mcplan.lint.facts` for what counts as a date; a date's key is ``(year or None, month,
day)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from babel.dates import get_day_names, get_month_names

from mcplan.lint.facts.reading import SP, Found, fold

DateKey = tuple[int | None, int, int]

# The languages whose month and weekday names are read (CLDR data, through babel): those of the
# bundled channel templates.
_LANGUAGES = ("fr", "en", "nl", "de", "es", "it")


def _months() -> tuple[dict[str, int], dict[str, int], set[str]]:
    """Full month names, their unambiguous short forms, and which of both are English."""
    full: dict[str, int] = {}
    short: dict[str, set[int]] = {}
    english: set[str] = set()
    for locale in _LANGUAGES:
        for width in ("wide", "abbreviated"):
            for month, name in get_month_names(width, locale=locale).items():
                for form in {name.casefold().rstrip("."), fold(name).rstrip(".")}:
                    forms = [form[:i] for i in range(3, len(form))] if width == "wide" else [form]
                    full.update({form: month} if width == "wide" else {})
                    for each in forms:
                        short.setdefault(each, set()).add(month)
                    english.update([form, *forms] if locale.startswith("en") else [])
    abbr = {s: min(m) for s, m in short.items() if len(m) == 1 and s not in full}
    return full, abbr, english


def _either(words: Iterable[str]) -> str:
    return "(?i:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


_FULL, _ABBR, _ENGLISH = _months()
_EN_DAYS = set(get_day_names("wide", locale="en").values())
_DAYS = {day for lang in _LANGUAGES for day in get_day_names("wide", locale=lang).values()}
_MONTH = "(?:(?P<full>{})|(?P<abbr>{})\\.?)(?![^\\W\\d_])"
_YEAR = rf"(?:,?{SP}+(?P<year>(?:19|20|21)[0-9]{{2}})(?![0-9]))?"
# A weekday may come before a date ("lundi 9 février"); it is looked for behind each match
# rather than tried at every position of the text, which is much slower.
_WEEKDAY_BEFORE = re.compile(rf"(?<!\w){_either(_DAYS)},?{SP}+\Z")
_EN_WEEKDAY_BEFORE = re.compile(rf"(?<!\w){_either(_EN_DAYS)},?{SP}+\Z")
_DAY_FIRST = re.compile(
    rf"(?<![\w.,/:])"
    rf"(?P<day>[0-9]{{1,2}})(?i:er|ᵉʳ|st|nd|rd|th|\.)?{SP}+(?:(?i:de){SP}+)?"
    + _MONTH.format(_either(_FULL), _either(_ABBR))
    + _YEAR.replace(",?", rf"(?:,|{SP}+(?i:de))?")
)
_MONTH_FIRST = re.compile(
    r"(?<![\w.])"
    + _MONTH.format(_either(_FULL.keys() & _ENGLISH), _either(_ABBR.keys() & _ENGLISH))
    + rf"{SP}+(?P<day>[0-9]{{1,2}})(?i:st|nd|rd|th)?(?!\w)"
    + _YEAR
)
_NUMERIC = re.compile(
    r"(?<![\w.,/:])(?:(?P<iy>[0-9]{4})(?P<isep>[-/])(?P<im>[0-9]{1,2})(?P=isep)(?P<id>[0-9]{1,2})"
    r"|(?P<day>[0-9]{1,2})(?P<sep>[/.-])(?P<month>[0-9]{1,2})(?:(?P=sep)(?P<year>[0-9]{4}|[0-9]{2}))?)"
    r"(?!\w|[./:][0-9]|-[0-9]+-)"
)
_NOT_DATES = re.compile(rf"24/7|7/7|[0-9]+/[0-9]+{SP}*(?i:prix)")


def _date(year: int | None, month: int, day: int) -> DateKey | None:
    try:
        date(2000 if year is None else year, month, day)  # 2000 is a leap year: 29/02 is fine
    except ValueError:
        return None
    return (year, month, day)


def dates_in(text: str) -> Found[DateKey]:
    named = [(m, _WEEKDAY_BEFORE) for m in _DAY_FIRST.finditer(text)]
    named += [(m, _EN_WEEKDAY_BEFORE) for m in _MONTH_FIRST.finditer(text)]
    for m, weekday in named:
        month = _FULL[fold(m["full"])] if m["full"] else _ABBR[fold(m["abbr"])]
        if key := _date(int(m["year"]) if m["year"] else None, month, int(m["day"])):
            before = weekday.search(text, max(0, m.start() - 16), m.start())
            yield before.start() if before else m.start(), m.end(), key
    for m in _NUMERIC.finditer(text):
        if m["iy"]:
            key = _date(int(m["iy"]), int(m["im"]), int(m["id"]))
        elif m["year"]:
            year = int(m["year"]) + (2000 if len(m["year"]) == 2 else 0)
            key = _date(year, int(m["month"]), int(m["day"]))
        elif m["sep"] == "/" and not _NOT_DATES.match(text, m.start()):
            key = _date(None, int(m["month"]), int(m["day"]))
        else:
            key = None
        if key:
            yield m.start(), m.end(), key


def compare_dates(a: DateKey, b: DateKey) -> bool:
    """Whether two dates agree: same day and month, and the same year unless one has none."""
    return a[1:] == b[1:] and (a[0] is None or b[0] is None or a[0] == b[0])
