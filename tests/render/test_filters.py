from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from babel import Locale

from mcplan.render import filters
from mcplan.render.filters import RenderState, rendering


@pytest.fixture
def french() -> Iterator[RenderState]:
    with rendering(RenderState(Locale.parse("fr_FR"), "EUR", gsm_safe=False)) as state:
        yield state


@pytest.fixture
def sms() -> Iterator[RenderState]:
    with rendering(RenderState(Locale.parse("fr_FR"), "EUR", gsm_safe=True)) as state:
        yield state


def test_french_formats(french: RenderState) -> None:
    assert filters.date_filter(date(2027, 2, 9)) == "9 février 2027"
    assert filters.date_filter("2027-03-01") == "1er mars 2027"
    assert filters.date_filter(date(2027, 2, 9), "full") == "mardi 9 février 2027"
    assert filters.date_filter(date(2027, 2, 9), "short") == "09/02/2027"
    assert filters.money_filter(29.9) == "29,90\u00a0€"
    assert filters.money_filter("29,90") == "29,90\u00a0€"
    assert filters.money_filter(15) == "15\u00a0€"
    assert filters.money_filter(1234.5) == "1\u202f234,50\u00a0€"
    assert filters.percent_filter(-0.4) == "-40\u00a0%"


def test_other_locales_and_currencies() -> None:
    with rendering(RenderState(Locale.parse("en_GB"), "GBP", gsm_safe=False)):
        assert filters.date_filter(date(2027, 3, 1)) == "1 March 2027"
        assert filters.money_filter(29.9) == "£29.90"
        assert filters.money_filter(29.9, "EUR") == "€29.90"


def test_an_sms_never_gets_a_non_breaking_space_from_a_filter(sms: RenderState) -> None:
    assert filters.money_filter(1234.5) == "1 234,50 €"
    assert filters.percent_filter(-0.4) == "-40 %"
    assert not sms.gsm_changes  # our own formatting is not reported as a user change


def test_gsm_filter_reports_what_it_changed(french: RenderState) -> None:
    assert filters.gsm_filter("L’offre « été »") == 'L\'offre " été "'
    assert dict(french.gsm_changes) == {("’", "'"): 1, ("«", '"'): 1, ("»", '"'): 1}


@pytest.mark.usefixtures("french")
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: filters.money_filter("29,90 €"), "money: expected a number"),
        (lambda: filters.money_filter(True), "money: expected a number"),
        (lambda: filters.date_filter(42), "date: expected a date"),
    ],
)
def test_bad_values_are_clear_errors(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
