"""The facts of a marketing text (mcplan.lint.facts): each kind, its traps, and properties."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from babel.dates import format_date
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mcplan.lint.facts import (
    DateKey,
    Facts,
    Span,
    brand_variants,
    compare_dates,
    extract,
)
from mcplan.lint.facts.reading import Claims

K = TypeVar("K")
NBSP, NNBSP = "\u00a0", "\u202f"
SENTENCE = (
    "Jusqu'à -40 % sur une sélection de luminaires avec le code HIVER40 jusqu'au "
    "9 février 2027. maison-lumen.fr/soldes STOP au 36111"
)


def written(found: Mapping[K, list[Span]]) -> dict[K, list[str]]:
    """Each value with the texts of its spans."""
    return {key: [span.text for span in spans] for key, spans in found.items()}


def kinds(facts: Facts) -> list[Mapping[Any, list[Span]]]:
    kinds: list[Mapping[Any, list[Span]]] = [facts.percentages, facts.prices, facts.codes]
    return [*kinds, facts.dates, facts.domains, facts.hashtags]


def check_spans(text: str, facts: Facts) -> None:
    for found in kinds(facts):
        for spans in found.values():
            assert spans == sorted(spans, key=lambda s: s.start)
            for span in spans:
                assert text[span.start : span.end] == span.text


def test_the_example_sentence() -> None:
    facts = extract(SENTENCE)
    check_spans(SENTENCE, facts)
    assert written(facts.percentages) == {Decimal(40): ["-40 %"]}
    assert written(facts.codes) == {"HIVER40": ["HIVER40"]}
    assert written(facts.dates) == {(2027, 2, 9): ["9 février 2027"]}
    assert written(facts.domains) == {"maison-lumen.fr": ["maison-lumen.fr/soldes"]}
    assert facts.prices == {}
    assert facts.address is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jusqu'à -40 % sur tout", {Decimal(40): ["-40 %"]}),
        ("-40% dès maintenant", {Decimal(40): ["-40%"]}),
        ("Soldes : −40 % !", {Decimal(40): ["−40 %"]}),
        (f"Soldes : –40{NBSP}%", {Decimal(40): [f"–40{NBSP}%"]}),
        (f"40{NNBSP}% de remise", {Decimal(40): [f"40{NNBSP}%"]}),
        ("Remise de 12,5 % sur le 2e article", {Decimal("12.5"): ["12,5 %"]}),
        ("Remise de 12.50% en ligne", {Decimal("12.5"): ["12.50%"]}),
        ("40 pour cent de remise", {Decimal(40): ["40 pour cent"]}),
        (
            "-40 % puis encore -40 % et -10 %",
            {Decimal(40): ["-40 %", "-40 %"], Decimal(10): ["-10 %"]},
        ),
        ("De 10 à 50 % de remise", {Decimal(50): ["50 %"]}),
        ("Payez en 3x sans frais", {}),
        ("Le n°1 du luminaire", {}),
        ("100 % satisfait", {Decimal(100): ["100 %"]}),
    ],
)
def test_percentages(text: str, expected: dict[Decimal, list[str]]) -> None:
    facts = extract(text)
    check_spans(text, facts)
    assert written(facts.percentages) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La lampe à 29,90 € seulement", {(Decimal("29.90"), "EUR"): ["29,90 €"]}),
        ("La lampe à 29.90€ seulement", {(Decimal("29.90"), "EUR"): ["29.90€"]}),
        ("Lamp for €29.90 only", {(Decimal("29.90"), "EUR"): ["€29.90"]}),
        ("Prix choc : 29€90", {(Decimal("29.90"), "EUR"): ["29€90"]}),
        ("Prix : 29 € 90", {(Decimal("29"), "EUR"): ["29 €"]}),
        ("Offert dès 15 euros d'achat", {(Decimal(15), "EUR"): ["15 euros"]}),
        ("Offert dès 15 Euros d'achat", {(Decimal(15), "EUR"): ["15 Euros"]}),
        ("Bon d'achat de EUR 15", {(Decimal(15), "EUR"): ["EUR 15"]}),
        ("Bon d'achat de 15 EUR", {(Decimal(15), "EUR"): ["15 EUR"]}),
        (
            f"Le canapé à 1{NBSP}234,50{NBSP}€",
            {(Decimal("1234.5"), "EUR"): [f"1{NBSP}234,50{NBSP}€"]},
        ),
        (f"Le canapé à 1{NNBSP}234,50 €", {(Decimal("1234.50"), "EUR"): [f"1{NNBSP}234,50 €"]}),
        ("Le canapé à 1 234,50 €", {(Decimal("1234.50"), "EUR"): ["1 234,50 €"]}),
        ("Le canapé à 1.234,50 €", {(Decimal("1234.50"), "EUR"): ["1.234,50 €"]}),
        ("The sofa at $1,234.50", {(Decimal("1234.50"), "USD"): ["$1,234.50"]}),
        ("Dès 2 000 € d'achat", {(Decimal(2000), "EUR"): ["2 000 €"]}),
        (
            "Le pouf à 49 CHF, ou £39",
            {(Decimal(49), "CHF"): ["49 CHF"], (Decimal(39), "GBP"): ["£39"]},
        ),
        (
            "-10 € dès 50 € d'achat",
            {(Decimal(10), "EUR"): ["-10 €"], (Decimal(50), "EUR"): ["50 €"]},
        ),
        ("De 15 à 20 € selon le modèle", {(Decimal(20), "EUR"): ["20 €"]}),
        (
            "29,90 € au lieu de 39,90 €, soit 29,90 €",
            {
                (Decimal("29.90"), "EUR"): ["29,90 €", "29,90 €"],
                (Decimal("39.90"), "EUR"): ["39,90 €"],
            },
        ),
        ("Ouvert 24h/24 et 7j/7, de 9h à 18h30", {}),
        ("Livraison offerte, 3 articles", {}),
    ],
)
def test_prices(text: str, expected: dict[tuple[Decimal, str], list[str]]) -> None:
    facts = extract(text)
    check_spans(text, facts)
    assert written(facts.prices) == expected


def test_prices_are_whole_or_have_two_decimals() -> None:
    (amount, _), *_ = extract("à 29,9 €").prices
    assert str(amount) == "29.90"
    (amount, _), *_ = extract("à 15,00 €").prices
    assert str(amount) == "15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Avec le code HIVER40 en caisse", ["HIVER40"]),
        ("Code RETOUR15, ou BF2027 pour le Black Friday", ["RETOUR15", "BF2027"]),
        ("Code : HIVER40.", ["HIVER40"]),
        ("(HIVER40) et «RETOUR15»", ["HIVER40", "RETOUR15"]),
        ("HIVER40 puis HIVER40", ["HIVER40"]),
        ("Répondez STOP au 36111 pour ne plus recevoir de SMS", []),
        ("Prix TTC, TVA incluse, conformément au RGPD", []),
        ("Suivez #HIVER40 sur Instagram", []),
        ("Écrivez à @HIVER40", []),
        ("https://maison-lumen.fr/SOLDES2027?code=HIVER40", []),
        ("maison-lumen.fr/HIVER40", []),
        ("OUVERT 24H24, DÈS 18H30, 7J/7, 100ML, 2KG, PAYEZ EN 4X, 10MIN, 12MOIS, 64GO", []),
        ("LE 1ER MARS", []),
        ("hiver40 ou Hiver40", []),
        ("Code H40", []),
        ("ABCDEFGHIJ1234567890XYZ", []),
        ("COVID-19", []),
    ],
)
def test_codes(text: str, expected: list[str]) -> None:
    facts = extract(text)
    check_spans(text, facts)
    assert list(facts.codes) == expected


def test_hashtags_are_noted_apart_from_codes() -> None:
    facts = extract("Partagez #HIVER40 et #MaisonLumen, pas #1 (n°1)")
    assert written(facts.hashtags) == {"HIVER40": ["#HIVER40"], "MaisonLumen": ["#MaisonLumen"]}
    assert facts.codes == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jusqu'au 9 février 2027 inclus", {(2027, 2, 9): ["9 février 2027"]}),
        ("jusqu'au 9 février.", {(None, 2, 9): ["9 février"]}),
        ("dès le 1er mars", {(None, 3, 1): ["1er mars"]}),
        ("dès le 1ᵉʳ mars", {(None, 3, 1): ["1ᵉʳ mars"]}),
        ("rendez-vous lundi 9 février", {(None, 2, 9): ["lundi 9 février"]}),
        ("jusqu'au Mardi 9 Février 2027", {(2027, 2, 9): ["Mardi 9 Février 2027"]}),
        ("jusqu'au 9 fév. seulement", {(None, 2, 9): ["9 fév."]}),
        ("jusqu'au 9 févr. 2027", {(2027, 2, 9): ["9 févr. 2027"]}),
        ("jusqu'au 9 fevrier", {(None, 2, 9): ["9 fevrier"]}),
        ("JUSQU'AU 9 FÉVRIER 2027", {(2027, 2, 9): ["9 FÉVRIER 2027"]}),
        (f"jusqu'au 9{NBSP}février{NBSP}2027", {(2027, 2, 9): [f"9{NBSP}février{NBSP}2027"]}),
        ("le 15 août et le 2 sept", {(None, 8, 15): ["15 août"], (None, 9, 2): ["2 sept"]}),
        ("valable le 09/02/2027", {(2027, 2, 9): ["09/02/2027"]}),
        ("valable le 09/02/27", {(2027, 2, 9): ["09/02/27"]}),
        ("valable le 9/2 seulement", {(None, 2, 9): ["9/2"]}),
        ("valable le 09.02.2027", {(2027, 2, 9): ["09.02.2027"]}),
        ("valable le 09-02-2027", {(2027, 2, 9): ["09-02-2027"]}),
        ("valable le 2027-02-09", {(2027, 2, 9): ["2027-02-09"]}),
        ("until 9 February 2027", {(2027, 2, 9): ["9 February 2027"]}),
        ("until February 9, 2027", {(2027, 2, 9): ["February 9, 2027"]}),
        ("until Monday, Feb. 9th", {(None, 2, 9): ["Monday, Feb. 9th"]}),
        ("du 13/01 au 09/02", {(None, 1, 13): ["13/01"], (None, 2, 9): ["09/02"]}),
        ("du 13/01-09/02", {(None, 1, 13): ["13/01"], (None, 2, 9): ["09/02"]}),
        ("du 13 au 15 février", {(None, 2, 15): ["15 février"]}),
        (
            "le 29/02 ou le 29 février 2028",
            {(None, 2, 29): ["29/02"], (2028, 2, 29): ["29 février 2028"]},
        ),
        # impossible dates and lookalikes
        ("le 31/02 ou le 30 février", {}),
        ("le 29 février 2027", {}),
        ("ouvert 24h/24 et 7j/7, service 24/7 et 7/7", {}),
        ("de 9h à 18h30, ou 18:30", {}),
        ("le 2e à 1/2 prix", {}),
        ("version 1.2 ou 12.05", {}),
        ("appelez le 06.12.03.04.05", {}),
        ("3 maisons, 2 marches", {}),
        ("mars 2027", {}),
    ],
)
def test_dates(text: str, expected: dict[DateKey, list[str]]) -> None:
    facts = extract(text)
    check_spans(text, facts)
    assert written(facts.dates) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "https://www.maison-lumen.fr/soldes?utm_source=sms",
            {"maison-lumen.fr": ["https://www.maison-lumen.fr/soldes?utm_source=sms"]},
        ),
        (
            "Rendez-vous sur maison-lumen.fr/soldes.",
            {"maison-lumen.fr": ["maison-lumen.fr/soldes"]},
        ),
        ("Tout sur maison-lumen.fr !", {"maison-lumen.fr": ["maison-lumen.fr"]}),
        ("Tout sur www.Maison-Lumen.fr, vite", {"maison-lumen.fr": ["www.Maison-Lumen.fr"]}),
        ("(voir https://maison-lumen.fr/a)", {"maison-lumen.fr": ["https://maison-lumen.fr/a"]}),
        ("boutique.maison-lumen.fr", {"boutique.maison-lumen.fr": ["boutique.maison-lumen.fr"]}),
        (
            "maison-lumen.fr ou autre-site.com/x, et maison-lumen.fr",
            {
                "maison-lumen.fr": ["maison-lumen.fr", "maison-lumen.fr"],
                "autre-site.com": ["autre-site.com/x"],
            },
        ),
        ("Écrivez à contact@maison-lumen.fr", {}),
        ("Suivez @maisonlumen", {}),
        ("3,5 étoiles, v1.2, index.html, Node.js", {}),
        ("Fin.Profitez-en", {}),
    ],
)
def test_domains(text: str, expected: dict[str, list[str]]) -> None:
    facts = extract(text)
    check_spans(text, facts)
    assert written(facts.domains) == expected


def test_nothing_is_read_inside_a_link() -> None:
    text = "https://maison-lumen.fr/ton-cadeau/2027-02-09/HIVER40?p=29,90€&r=40%"
    facts = extract(text)
    assert list(facts.domains) == ["maison-lumen.fr"]
    assert (facts.codes, facts.dates, facts.prices, facts.percentages) == ({}, {}, {}, {})
    assert facts.address is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Profitez de -40 % : vos luminaires vous attendent", "vous"),
        ("Inscrivez-vous vite", "vous"),
        ("Votre code : HIVER40", "vous"),
        ("Tu vas adorer", "tu"),
        ("Profite de -40 %, ta lampe t'attend", "tu"),
        ("Fais-toi plaisir", "tu"),
        ("TES ENVIES, TON STYLE", "tu"),
        ("On te l’offre", "tu"),
        ("Tu vas adorer nos offres, vous aussi", "mixed"),
        ("Testez nos tonalités et nos tableaux", None),
        ("Aujourd'hui, un style ton sur ton", None),
        ("Profite de -40 %", None),
        ("Jusqu'à -40 % sur une sélection", None),
        ("maison-lumen.fr/ton-cadeau #TonCadeau @vous", None),
        ("", None),
    ],
)
def test_address(text: str, expected: str | None) -> None:
    assert extract(text).address == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maison Lumen : -40 %", []),
        (f"Maison{NBSP}Lumen : -40 %", []),
        ("MAISON LUMEN : -40 %", []),
        ("maison lumen : -40 %", ["maison lumen"]),
        ("Les soldes Maison lumen sont là", ["Maison lumen"]),
        ("MaisonLumen et Maison-Lumen", ["MaisonLumen", "Maison-Lumen"]),
        ("MAISONLUMEN", ["MAISONLUMEN"]),
        ("Maison Lumén", ["Maison Lumén"]),
        ("Maison  Lumen", []),
        ("#MaisonLumen et @maisonlumen", []),
        ("maison-lumen.fr/soldes, https://www.maisonlumen.com, contact@maison-lumen.fr", []),
        ("Les maisons lumineuses", []),
        ("Maison Lumen, Maison lumen et MaisonLumen", ["Maison lumen", "MaisonLumen"]),
    ],
)
def test_brand_variants(text: str, expected: list[str]) -> None:
    spans = brand_variants(text, "Maison Lumen")
    assert [s.text for s in spans] == expected
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_brand_variants_are_accent_insensitive_both_ways() -> None:
    assert [s.text for s in brand_variants("Le Café Lumière, le cafe lumiere", "Café Lumière")] == [
        "cafe lumiere"
    ]
    assert brand_variants("CAFE LUMIERE et CAFÉ LUMIÈRE", "Café Lumière") == []
    assert brand_variants("anything", " - ") == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((2027, 2, 9), (2027, 2, 9), True),
        ((None, 2, 9), (2027, 2, 9), True),
        ((2027, 2, 9), (None, 2, 9), True),
        ((None, 2, 9), (None, 2, 9), True),
        ((2027, 2, 9), (2028, 2, 9), False),
        ((None, 2, 9), (None, 2, 12), False),
        ((2027, 2, 9), (2027, 9, 2), False),
    ],
)
def test_compare_dates(a: DateKey, b: DateKey, same: bool) -> None:
    assert compare_dates(a, b) is same


# Properties ------------------------------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=9_999_999, places=2, allow_nan=False)
SPACES = st.sampled_from([" ", NBSP, NNBSP])


def french(amount: Decimal, thousands: str) -> str:
    """1234.5 → "1 234,50" with the given thousands separator (none under 1 000)."""
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", thousands) + "," + cents


def english(amount: Decimal) -> str:
    return f"{amount:,.2f}"


SPELLINGS = [
    lambda a, sp: f"{french(a, sp)}{sp}€",
    lambda a, sp: f"{french(a, sp)}€",
    lambda a, sp: f"{french(a, '')} €",
    lambda a, sp: f"{french(a, '.')} €",
    lambda a, sp: f"{french(a, sp)} euros",
    lambda a, sp: f"{english(a).replace(',', '')}€",
    lambda a, sp: f"€{english(a)}",
    lambda a, sp: f"€ {english(a)}",
    lambda a, sp: f"EUR{sp}{french(a, sp)}",
    lambda a, sp: f"{french(a, sp)} EUR",
    lambda a, sp: f"{f'{a:.2f}'.replace('.', '€')}",
]


@given(amount=AMOUNTS, spelling=st.sampled_from(range(len(SPELLINGS))), space=SPACES)
@example(amount=Decimal("1234.50"), spelling=0, space=NNBSP)
@example(amount=Decimal("0.05"), spelling=10, space=" ")
def test_any_price_in_any_spelling_is_found(amount: Decimal, spelling: int, space: str) -> None:
    price = SPELLINGS[spelling](amount, space)
    text = f"Le lampadaire à {price} seulement, livré chez vous."
    facts = extract(text)
    check_spans(text, facts)
    assert written(facts.prices) == {(amount, "EUR"): [price]}
    assert (facts.dates, facts.percentages, facts.codes) == ({}, {}, {})


@given(
    value=st.decimals(min_value=0, max_value=1000, places=2), minus=st.sampled_from(["", "-", "−"])
)
def test_any_percentage_is_found(value: Decimal, minus: str) -> None:
    text = f"Jusqu'à {minus}{str(value).replace('.', ',')} % sur tout"
    assert list(extract(text).percentages) == [value]


DATE_SPELLINGS: list[tuple[str, bool]] = [  # (babel / strftime-like pattern, has the year)
    ("d MMMM y", True),
    ("d MMMM", False),
    ("EEEE d MMMM y", True),
    ("d MMM y", True),
    ("dd/MM/y", True),
    ("d/M", False),
    ("dd.MM.y", True),
    ("y-MM-dd", True),
    ("dd/MM/yy", True),
]
EN_SPELLINGS = [("d MMMM y", True), ("MMMM d, y", True), ("EEEE, MMM d", False)]


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    spelling=st.sampled_from(
        [(p, y, "fr_FR") for p, y in DATE_SPELLINGS] + [(p, y, "en_US") for p, y in EN_SPELLINGS]
    ),
)
@example(day=date(2027, 3, 1), spelling=("d MMMM", False, "fr_FR"))
@example(day=date(2028, 2, 29), spelling=("d/M", False, "fr_FR"))
def test_any_date_in_any_spelling_is_found(day: date, spelling: tuple[str, bool, str]) -> None:
    pattern, has_year, locale = spelling
    written_date = format_date(day, pattern, locale=locale)
    if written_date in ("24/7", "7/7"):
        return  # read as "around the clock"
    text = f"Offre valable jusqu'au {written_date}. Profitez-en !"
    facts = extract(text)
    check_spans(text, facts)
    key = (day.year if has_year else None, day.month, day.day)
    assert written(facts.dates) == {key: [written_date]}


@given(st.text())
@example("€" * 50 + "1" * 50)
@example("http://[::1")
@example("#" * 30 + "@" * 30 + "t'" * 10)
def test_extract_never_raises_and_spans_slice_back(text: str) -> None:
    facts = extract(text)
    check_spans(text, facts)
    assert facts == extract(text)  # deterministic
    assert facts.address in (None, "tu", "vous", "mixed")
    for span in brand_variants(text, "Maison Lumen"):
        assert text[span.start : span.end] == span.text


SOUP = [SENTENCE, "29,90 €", " ", "\n", NBSP, "#HIVER40", "https://x.fr/a", "9/2", "tu", "vous"]
SOUP += ["Maison lumen", "RETOUR15", "1er mars", "-25 %", "STOP", ".", ",", "2027", "€", "%", "-"]


@given(st.lists(st.sampled_from(SOUP)))
def test_extract_on_marketing_soup(parts: list[str]) -> None:
    text = "".join(parts)
    check_spans(text, extract(text))
    for span in brand_variants(text, "Maison Lumen"):
        assert text[span.start : span.end] == span.text


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=40),
       st.integers(0, 60), st.integers(1, 8))  # fmt: skip
def test_claims_tell_free_parts_as_a_plain_list_does(
    added: list[tuple[int, int]], start: int, length: int
) -> None:
    claims, plain = Claims(), []
    for begin, size in added:
        claims.add(begin, begin + size)
        plain.append((begin, begin + size))
    end = start + length
    assert claims.free(start, end) == all(end <= s or start >= e for s, e in plain)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aéE Z9:/.@#-%€,wWhHtTpPsSſ\u212a février 2027")), max_size=60
    )
)
def test_a_pattern_skipped_for_a_text_would_have_found_nothing_in_it(text: str) -> None:
    """`extract` runs a pattern only on a text with what it needs (a digit, @, # or a dot);
    run on any text, a skipped pattern finds nothing."""
    from mcplan.lint import facts
    from mcplan.lint.facts import dates, reading

    if not facts._DIGIT.search(text):
        for find in (facts._prices, facts._percentages, dates.dates_in, facts._codes):
            assert list(find(text)) == []
    folded = text.casefold()
    if "http" not in folded and "www." not in folded:
        assert list(reading._URL.finditer(text)) == []
    if "@" not in text:
        assert list(reading._EMAIL.finditer(text)) == list(reading._MENTION.finditer(text)) == []
    if "." not in text:
        assert list(reading._DOMAIN.finditer(text)) == []
    if "#" not in text:
        assert list(reading._HASHTAG.finditer(text)) == []
