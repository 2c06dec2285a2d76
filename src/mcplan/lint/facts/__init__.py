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

import re
from dataclasses import dataclass, field
from decimal import Decimal

from mcplan.lint.facts.brand import brand_variants
from mcplan.lint.facts.dates import DateKey, compare_dates, dates_in
from mcplan.lint.facts.reading import MINUS, SP, Claims, Found, Span, protected, read

__all__ = [
    "ADDRESS_FORMS",
    "DateKey",
    "Facts",
    "Span",
    "brand_variants",
    "compare_dates",
    "extract",
]


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


_DIGIT = re.compile("[0-9]")
_GROUPED = r"[0-9]{1,3}(?:[ \u00a0\u202f\u2009.,'’][0-9]{3})+"
_NUMBER = rf"(?:{_GROUPED}|[0-9]+)(?:[.,][0-9]{{1,2}})?(?![0-9])"
_PRICE = re.compile(
    rf"(?<![\w.,])(?:(?P<tag>[0-9]+)€(?P<cents>[0-9]{{2}})(?![0-9])"
    rf"|(?:{MINUS}{SP}?)?(?P<amount>{_NUMBER}){SP}?"
    rf"(?P<after>[€$£]|(?i:euros?|eur|usd|gbp|chf)(?![^\W\d_]))"
    rf"|(?P<before>[€$£]|EUR|USD|GBP|CHF){SP}?(?P<amount2>{_NUMBER}))"
)
_CURRENCIES = {"€": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "£": "GBP"}
_PERCENT = re.compile(
    rf"(?:(?<![\w.,]){MINUS}{SP}?)?(?<![\w.,])(?P<value>[0-9]+(?:[.,][0-9]+)?){SP}?"
    rf"(?:%|(?i:pour{SP}?cents?)(?!\w))"
)
_CODE = re.compile(r"(?<![\w#@&/.\-])[A-Z0-9]{4,20}(?![\w@\-]|[./]\w)")
_QUANTITY = re.compile(
    r"[0-9]+(?:H[0-9]{0,2}|MIN|MN|JOURS?|JRS?|J|X|E|ER|EME|IEME|K?G|MG|[CM]?L|[CKM]?M[23]?|K?W|V"
    r"|[KMGT][OB]|MAH|PCS?|ANS?|MOIS)"
)
_TU = re.compile(r"(?<![\w'’])(?:(?i:tu|te|toi|ton|ta|tes)(?![\w'’])|(?i:t)['’](?=[^\W\d_]))")
_VOUS = re.compile(r"(?<![\w'’])(?i:vous|votre|vos|vôtres?)(?![\w'’])")
_TON_SUR_TON = re.compile(rf"(?i:ton(?:{SP}+|-)sur(?:{SP}+|-)ton)(?!\w)")


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
    claims, domains, hashtags = protected(text)
    if _DIGIT.search(text):
        prices = read(text, claims, _prices(text))
        percentages = read(text, claims, _percentages(text))
        dates = read(text, claims, dates_in(text))
        codes = read(text, claims, _codes(text))
    else:  # a price, a percentage, a date and a code (letters and digits) all have a digit
        prices, percentages, dates, codes = {}, {}, {}, {}
    address = _address(text, claims, language)
    return Facts(percentages, prices, codes, dates, domains, address, hashtags)
