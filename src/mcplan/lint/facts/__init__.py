"""The facts a marketing text states, so that every channel can be checked to say the same thing.

`extract` reads a text (French, English, Dutch, German, Spanish or Italian) and returns its
facts with where they are (`Span`: 0-based offsets and the text as written). The rules below
are the consistency rules of `mcplan lint` (M101–M105): what is not recognised here is never
compared.

Everywhere a space is allowed, a non-breaking (U+00A0), narrow non-breaking (U+202F) or thin
(U+2009) space is too; everywhere a minus is allowed, "−" (U+2212), "–" and "‑" are too. Each
part of a text is read once, as one thing, in this order: links, prices, percentages, dates,
codes (so "29,90 €" is no date and "2027-02-09" no code).

**Links** (``domains``) are read first, and nothing else is read inside them (a code, a date or
a "tu" in a URL is part of the URL). A link is ``http(s)://…``, ``www.…``, or a bare
``name.tld[/path]`` whose TLD is a common one (fr, com, eu, shop…: see ``_TLDS``; "v1.2",
"3,5", "index.html" are not links). Its key is the lower-case host without a leading "www."
("https://www.maison-lumen.fr/soldes?utm_source=sms" → "maison-lumen.fr"), with its other
sub-domains kept (shop.maison-lumen.fr): there is no public-suffix list. E-mail addresses are
not links and give no domain; @mentions and hashtags are no links either. Hashtags with a letter
are kept apart (``hashtags``, keyed without "#"): "#HIVER40" is a hashtag, not a code.

**Prices** (``prices``, keyed ``(amount, ISO currency)``): an amount next to a currency, "29,90 €",
"29.90€", "€29.90", "15 euros", "EUR 15", "1 234,50 €", and the price-tag spelling "29€90"
(no spaces; "29 € 90" reads as 29 €). Currencies: € EUR euro(s), $ USD, £ GBP, CHF. A "," or "."
followed by 1–2 final digits is the decimal mark; followed by 3 digits it groups thousands, as
do spaces and "'" ("1,234.50 €" = "1.234,50 €" = "1 234,50 €"). A leading minus is kept in the
span, not in the amount. Amounts are whole (Decimal("15")) or have two decimals
(Decimal("29.90")). A bare number without currency ("de 15 à 20 €": only 20 €) is no price.

**Percentages** (``percentages``, keyed by absolute value): a number with "%", "pour cent" or
"pourcent": "-40 %", "40%", "−40 %", "40 pour cent" (40), "12,5 %" (12.5). A range gives its
last bound only ("de 10 à 50 %": 50). "3x sans frais" is no percentage.

**Dates** (``dates``, keyed ``(year or None, month, day)``): a day then a month name, with an
optional weekday and year ("lundi 9 février 2027", "1er mars", "9 February 2027",
"16. April 2028", "16 de abril de 2028", "zondag 16 april"), an English
month then a day ("February 9, 2027", "Feb. 9th"), numeric day-first dates ("09/02/2027",
"09/02/27" = 2027, "09.02.2027", "09-02-2027", "9/2") and ISO dates ("2027-02-09", also with
"/"). Month
and weekday names come from babel (CLDR: French, English, Dutch, German, Spanish and Italian,
wide and abbreviated) in any case and with or
without accents; a month may also be shortened to any unambiguous prefix of 3 letters or more,
with or without a dot ("fév.", "sept", but not "jui"). Dotted and dashed numeric dates need a
year ("12.05" is a number); "24/7", "7/7" and "1/2 prix" are not dates, nor are times (18h30,
18:30) or "24h/24". Impossible dates (31/02) are ignored; the weekday is not checked. Years in
words are 1900–2199. Only dates with a day count: in "du 13 au 15 février", only the 15th.

**Codes** (``codes``): upper-case ASCII tokens of 4–20 letters and digits, at least one of each
(HIVER40, RETOUR15, BF2027), as a whole token: not part of a longer word, not joined to
another by "-" ("COVID-19"), "/" or "." and not after "#" or "@". Not codes: words (SMS,
STOP, TVA, RGPD), numbers (36111), hashtags, tokens in links, and quantities in all-caps copy
(18H30, 24H24, 100ML, 10MIN, 64GO, 12MOIS). Product names such as "RTX4090" do look like codes.

**Address** (``address``): "tu" when the text has one of tu, te, t' (t’aime), toi (also
"-toi": "fais-toi plaisir"), ton, ta, tes; "vous" with vous (also "-vous"), votre, vos, vôtre(s);
"mixed" with both; None with neither. Whole words, any case ("Testez" has no "tes"), not in
links, and "ton sur ton" (a colour) does not count. Verbs are not read ("Profite" / "Profitez").
The other languages' forms are in ``ADDRESS_FORMS``: German du / Sie (Sie, Ihnen, Ihr… with
their capital), Dutch jij / u (jij, jou, jouw, jullie / u, uw; "je" is also the generic "one",
so it does not count), Spanish tú / usted, Italian tu / Lei (with its capital); English has
one form, so an English text has no address.

`brand_variants` finds the brand written otherwise: another case ("Maison lumen"), spaces or
hyphens missing or added ("MaisonLumen", "Maison-Lumen"), other accents ("Maison Lumén"). The
exact spelling, the same in capitals ("MAISON LUMEN", accents optional), other kinds of spaces
or apostrophes, hashtags (#MaisonLumen), @mentions, e-mails and links (maison-lumen.fr) are fine.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar
from urllib.parse import urlsplit

from babel.dates import get_day_names, get_month_names

__all__ = ["DateKey", "Facts", "Span", "brand_variants", "compare_dates", "extract"]

DateKey = tuple[int | None, int, int]
K = TypeVar("K")
Found = Iterator[tuple[int, int, K]]  # (start, end, value) of a candidate fact


class Claims:
    """The parts of a text already read, as disjoint (start, end) ranges in order, so that
    whether a part is free takes a binary search, not a look at every earlier fact (20,000
    hashtags took 12 s)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:  # the range that starts at or before it
            return False
        return i == len(self.starts) or self.starts[i] >= end  # the next one

    def add(self, start: int, end: int) -> None:
        """Claim ``start``–``end``, merged with the ranges it touches."""
        i = bisect.bisect_left(self.ends, start)  # the first range that ends after it starts
        j = bisect.bisect_right(self.starts, end)  # past the last range that starts before
        if i < j:
            start, end = min(start, self.starts[i]), max(end, self.ends[j - 1])
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def copy(self) -> Claims:
        other = Claims()
        other.starts, other.ends = list(self.starts), list(self.ends)
        return other


@dataclass(frozen=True)
class Span:
    """Where a fact is: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Facts:
    """The facts of one text; each kind maps a value to its spans, in order of appearance."""

    percentages: dict[Decimal, list[Span]]
    prices: dict[tuple[Decimal, str], list[Span]]
    codes: dict[str, list[Span]]
    dates: dict[DateKey, list[Span]]
    domains: dict[str, list[Span]]
    address: str | None
    hashtags: dict[str, list[Span]] = field(default_factory=dict)


# The combining marks NFD splits accents into (the Unicode "Combining … Marks" blocks).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """Lower case without accents ("Février" → "fevrier")."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFD", text)).casefold()


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
                for form in {name.casefold().rstrip("."), _fold(name).rstrip(".")}:
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
_SP = "[ \t\u00a0\u202f\u2009]"
_MINUS = "[-\u2212\u2013\u2011]"
_MONTH = "(?:(?P<full>{})|(?P<abbr>{})\\.?)(?![^\\W\\d_])"
_YEAR = rf"(?:,?{_SP}+(?P<year>(?:19|20|21)[0-9]{{2}})(?![0-9]))?"
# A weekday may come before a date ("lundi 9 février"); it is looked for behind each match
# rather than tried at every position of the text, which is much slower.
_WEEKDAY_BEFORE = re.compile(rf"(?<!\w){_either(_DAYS)},?{_SP}+\Z")
_EN_WEEKDAY_BEFORE = re.compile(rf"(?<!\w){_either(_EN_DAYS)},?{_SP}+\Z")
_DAY_FIRST = re.compile(
    rf"(?<![\w.,/:])"
    rf"(?P<day>[0-9]{{1,2}})(?i:er|ᵉʳ|st|nd|rd|th|\.)?{_SP}+(?:(?i:de){_SP}+)?"
    + _MONTH.format(_either(_FULL), _either(_ABBR))
    + _YEAR.replace(",?", rf"(?:,|{_SP}+(?i:de))?")
)
_MONTH_FIRST = re.compile(
    r"(?<![\w.])"
    + _MONTH.format(_either(_FULL.keys() & _ENGLISH), _either(_ABBR.keys() & _ENGLISH))
    + rf"{_SP}+(?P<day>[0-9]{{1,2}})(?i:st|nd|rd|th)?(?!\w)"
    + _YEAR
)
_NUMERIC = re.compile(
    r"(?<![\w.,/:])(?:(?P<iy>[0-9]{4})(?P<isep>[-/])(?P<im>[0-9]{1,2})(?P=isep)(?P<id>[0-9]{1,2})"
    r"|(?P<day>[0-9]{1,2})(?P<sep>[/.-])(?P<month>[0-9]{1,2})(?:(?P=sep)(?P<year>[0-9]{4}|[0-9]{2}))?)"
    r"(?!\w|[./:][0-9]|-[0-9]+-)"
)
_NOT_DATES = re.compile(rf"24/7|7/7|[0-9]+/[0-9]+{_SP}*(?i:prix)")
_GROUPED = r"[0-9]{1,3}(?:[ \u00a0\u202f\u2009.,'’][0-9]{3})+"
_NUMBER = rf"(?:{_GROUPED}|[0-9]+)(?:[.,][0-9]{{1,2}})?(?![0-9])"
_PRICE = re.compile(
    rf"(?<![\w.,])(?:(?P<tag>[0-9]+)€(?P<cents>[0-9]{{2}})(?![0-9])"
    rf"|(?:{_MINUS}{_SP}?)?(?P<amount>{_NUMBER}){_SP}?"
    rf"(?P<after>[€$£]|(?i:euros?|eur|usd|gbp|chf)(?![^\W\d_]))"
    rf"|(?P<before>[€$£]|EUR|USD|GBP|CHF){_SP}?(?P<amount2>{_NUMBER}))"
)
_CURRENCIES = {"€": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "£": "GBP"}
_PERCENT = re.compile(
    rf"(?:(?<![\w.,]){_MINUS}{_SP}?)?(?<![\w.,])(?P<value>[0-9]+(?:[.,][0-9]+)?){_SP}?"
    rf"(?:%|(?i:pour{_SP}?cents?)(?!\w))"
)
_CODE = re.compile(r"(?<![\w#@&/.\-])[A-Z0-9]{4,20}(?![\w@\-]|[./]\w)")
_QUANTITY = re.compile(
    r"[0-9]+(?:H[0-9]{0,2}|MIN|MN|JOURS?|JRS?|J|X|E|ER|EME|IEME|K?G|MG|[CM]?L|[CKM]?M[23]?|K?W|V"
    r"|[KMGT][OB]|MAH|PCS?|ANS?|MOIS)"
)
_URL = re.compile(r"(?<![\w@/.])(?i:https?://|www\.)[^\s<>\"«»]+")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_MENTION = re.compile(r"(?<![\w@])@\w+")
_DOMAIN = re.compile(
    r"(?<![\w@./\-:])(?P<host>(?:[^\W_][\w\-]*\.)+(?P<tld>[^\W\d_]{2,24}))(?![\w\-@])"
    r"(?:[/?#][^\s<>\"«»]*)?"
)
_TLD_NAMES = "fr com net org eu io co be ch lu mc re ca de es it nl pt at ie uk us info biz app"
_TLDS = frozenset(
    f"{_TLD_NAMES} dev shop store online site paris bzh corsica alsace me tv ly".split()
)
_TRAILING = ".,;:!?)]}'’\"»…"
_DIGIT = re.compile("[0-9]")
_HASHTAG = re.compile(r"(?<![\w&#])#(?P<tag>\w*[^\W\d_]\w*)")
_TU = re.compile(r"(?<![\w'’])(?:(?i:tu|te|toi|ton|ta|tes)(?![\w'’])|(?i:t)['’](?=[^\W\d_]))")
_VOUS = re.compile(r"(?<![\w'’])(?i:vous|votre|vos|vôtres?)(?![\w'’])")
_TON_SUR_TON = re.compile(rf"(?i:ton(?:{_SP}+|-)sur(?:{_SP}+|-)ton)(?!\w)")
_BRAND_SEPARATORS = "[\\s\\-\u2010\u2011\u2013'’]*"


def _read(text: str, claims: Claims, found: Found[K]) -> dict[K, list[Span]]:
    """Keep the candidates on text no other fact has claimed, earliest and longest first.

    A part of the text is read once, as one thing. The value "" claims without keeping.
    """
    kept: dict[K, list[Span]] = {}
    for start, end, value in sorted(found, key=lambda f: (f[0], -f[1])):
        if claims.free(start, end):
            claims.add(start, end)
            if value != "":
                kept.setdefault(value, []).append(Span(start, end, text[start:end]))
    return kept


def _end(match: re.Match[str]) -> int:
    """Where a link ends, without the punctuation that follows it."""
    return match.start() + len(match.group().rstrip(_TRAILING))


def _host(link: str) -> str:
    try:
        host = urlsplit(link if "://" in link else "http://" + link).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _links(text: str) -> Found[str]:
    # Each pattern is run only on a text that has what it needs: most texts have no link.
    folded = text.casefold()
    if "http" in folded or "www." in folded:
        for m in _URL.finditer(text):
            yield m.start(), _end(m), _host(text[m.start() : _end(m)])
    if "@" in text:
        for m in (*_EMAIL.finditer(text), *_MENTION.finditer(text)):
            yield m.start(), m.end(), ""
    if "." in text:
        for m in _DOMAIN.finditer(text):
            if m["tld"].casefold() in _TLDS:
                yield m.start(), _end(m), m["host"].casefold().removeprefix("www.")


def _protected(text: str) -> tuple[Claims, dict[str, list[Span]], dict[str, list[Span]]]:
    """Links, e-mails, mentions and hashtags: claimed first, nothing else is read in them."""
    claims = Claims()
    domains = _read(text, claims, _links(text))
    if "#" not in text:
        return claims, domains, {}
    tags = ((m.start(), m.end(), m["tag"]) for m in _HASHTAG.finditer(text))
    return claims, domains, _read(text, claims, tags)


def _whole(value: Decimal, places: str | None) -> Decimal:
    """15.00 → 15; other values to `places` decimals, or without trailing zeros."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.quantize(Decimal(places)) if places else value.normalize()


def _amount(raw: str) -> Decimal:
    """ "1 234,50" → 1234.50: the last "," or "." before 1–2 digits is the decimal mark."""
    digits = re.sub(r"[^0-9.,]", "", raw)
    decimal = re.search(r"[.,]([0-9]{1,2})$", digits)
    whole = re.sub(r"[.,]", "", digits[: decimal.start()] if decimal else digits)
    return _whole(Decimal(f"{whole}.{decimal.group(1) if decimal else 0}"), "0.01")


def _prices(text: str) -> Found[tuple[Decimal, str]]:
    for m in _PRICE.finditer(text):
        raw, currency = (f"{m['tag']},{m['cents']}", "€") if m["tag"] else (m["amount"], "")
        currency = (currency or m["after"] or m["before"]).casefold()
        value = (_amount(raw or m["amount2"]), _CURRENCIES.get(currency, currency.upper()))
        yield m.start(), m.end(), value


def _percentages(text: str) -> Found[Decimal]:
    for m in _PERCENT.finditer(text):
        yield m.start(), m.end(), _whole(Decimal(m["value"].replace(",", ".")), None)


def _date(year: int | None, month: int, day: int) -> DateKey | None:
    try:
        date(2000 if year is None else year, month, day)  # 2000 is a leap year: 29/02 is fine
    except ValueError:
        return None
    return (year, month, day)


def _dates(text: str) -> Found[DateKey]:
    named = [(m, _WEEKDAY_BEFORE) for m in _DAY_FIRST.finditer(text)]
    named += [(m, _EN_WEEKDAY_BEFORE) for m in _MONTH_FIRST.finditer(text)]
    for m, weekday in named:
        month = _FULL[_fold(m["full"])] if m["full"] else _ABBR[_fold(m["abbr"])]
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


def _codes(text: str) -> Found[str]:
    for m in _CODE.finditer(text):
        code = m.group()
        if not (code.isdigit() or code.isalpha() or _QUANTITY.fullmatch(code)):
            yield m.start(), m.end(), code


# How each language addresses the reader, informal then formal: (name, pattern) each. English
# has one form. German "Sie" and Italian "Lei" are formal only with their capital letter.
_WORD_START, _WORD_END = r"(?<![\w'’])", r"(?![\w'’])"
ADDRESS_FORMS: dict[str, tuple[tuple[str, re.Pattern[str]], tuple[str, re.Pattern[str]]]] = {
    "fr": (("tu", _TU), ("vous", _VOUS)),
    "de": (
        ("du", re.compile(rf"{_WORD_START}(?i:du|dich|dir|dein|deine[mnrs]?){_WORD_END}")),
        ("Sie", re.compile(rf"{_WORD_START}(?:Sie|Ihnen|Ihr|Ihre[mnrs]?){_WORD_END}")),
    ),
    "nl": (
        # "je" is also the generic "one" ("de lente beleef je op de fiets"): not counted.
        ("jij", re.compile(rf"{_WORD_START}(?i:jij|jou|jouw|jullie){_WORD_END}")),
        ("u", re.compile(rf"{_WORD_START}(?i:u|uw){_WORD_END}")),
    ),
    "es": (
        ("tú", re.compile(rf"{_WORD_START}(?i:tú|tu|tus|te|ti|contigo){_WORD_END}")),
        ("usted", re.compile(rf"{_WORD_START}(?i:usted|ustedes|ud|vd)\.?{_WORD_END}")),
    ),
    "it": (
        ("tu", re.compile(rf"{_WORD_START}(?i:tu|ti|te|tuo|tua|tuoi|tue){_WORD_END}")),
        ("Lei", re.compile(rf"{_WORD_START}(?:Lei|Suo|Sua|Suoi){_WORD_END}")),
    ),
}


def _address(text: str, claims: Claims, language: str) -> str | None:
    forms = ADDRESS_FORMS.get(language)
    if forms is None:
        return None
    claims = claims.copy()
    if language == "fr":
        for m in _TON_SUR_TON.finditer(text):
            claims.add(*m.span())
    (informal, one), (formal, other) = forms
    said = [
        name
        for name, pattern in ((informal, one), (formal, other))
        if any(claims.free(*m.span()) for m in pattern.finditer(text))
    ]
    return "mixed" if len(said) == 2 else said[0] if said else None


def extract(text: str, language: str = "fr") -> Facts:
    """The facts of `text`, written in `language` (see the module documentation)."""
    claims, domains, hashtags = _protected(text)
    if _DIGIT.search(text):
        prices = _read(text, claims, _prices(text))
        percentages = _read(text, claims, _percentages(text))
        dates = _read(text, claims, _dates(text))
        codes = _read(text, claims, _codes(text))
    else:  # a price, a percentage, a date and a code (letters and digits) all have a digit
        prices, percentages, dates, codes = {}, {}, {}, {}
    address = _address(text, claims, language)
    return Facts(percentages, prices, codes, dates, domains, address, hashtags)


@functools.lru_cache(maxsize=64)
def _brand_pattern(brand: str) -> re.Pattern[str] | None:
    skeleton = [re.escape(c) for c in _fold(brand) if not re.fullmatch(_BRAND_SEPARATORS, c)]
    if not skeleton:
        return None
    return re.compile(rf"(?<![\w#@]){_BRAND_SEPARATORS.join(skeleton)}(?!\w|\.\w)")


def brand_variants(text: str, brand: str) -> list[Span]:
    """Where `text` writes `brand` otherwise than exactly (see the module documentation)."""
    pattern = _brand_pattern(brand)
    # Most texts write the brand exactly, or not at all: then there is nothing to look for.
    if pattern is None or not pattern.search(_fold(text.replace(brand, " "))):
        return []
    folded = [(f, i) for i, char in enumerate(text) for f in _fold(char)]
    claims = _protected(text)[0]
    expected = _typography(brand)
    variants = []
    for m in pattern.finditer("".join(f for f, _ in folded)):
        start, end = folded[m.start()][1], folded[m.end() - 1][1] + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        written = _typography(text[start:end])
        capitals = written == written.upper() and _fold(written) == _fold(expected)
        if written != expected and not capitals and claims.free(start, end):
            variants.append(Span(start, end, text[start:end]))
    return variants


def _typography(text: str) -> str:
    """`text` with any run of spaces as one space and ’ as '."""
    return re.sub(r"\s+", " ", text).replace("’", "'")


def compare_dates(a: DateKey, b: DateKey) -> bool:
    """Whether two dates agree: same day and month, and the same year unless one has none."""
    return a[1:] == b[1:] and (a[0] is None or b[0] is None or a[0] == b[0])
