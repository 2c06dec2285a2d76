"""Locales, countries and their regions, and time zones: what exists, and what was meant."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import WORKSPACES, planted
from mcplan import load_workspace
from mcplan.lint.engine import lint
from mcplan.workspace.markets import (
    _is_zone,
    check_country,
    check_locale,
    check_regional_locale,
    check_timezone,
)

MARKETS = WORKSPACES / "markets"


def test_planted_problems_are_reported_on_their_lines() -> None:
    root = MARKETS / "planted"
    result = lint(load_workspace(root, discover=False))
    assert {(f.location.file, f.location.line, f.rule) for f in result.findings} == planted(root)


def test_the_clean_twin_has_no_finding() -> None:
    assert lint(load_workspace(MARKETS / "clean", discover=False)).findings == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en-EN", "'en-EN' is not a locale mcplan knows (did you mean 'en-GB' or 'en-IE'?)"),
        ("be-NL", "'be-NL' is not a locale mcplan knows (did you mean 'nl-BE'?)"),
        ("nl-XX", "'nl-XX' is not a locale mcplan knows (did you mean 'nl-NL' or 'nl-BE'?)"),
        ("xx-QQ", "'xx-QQ' is not a locale mcplan knows"),
        ("french", "'french' is not a locale: write a language and region, like fr-FR"),
    ],
)
def test_a_locale_that_does_not_exist_says_which_was_meant(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^") as caught:
        check_locale(value)
    assert str(caught.value) == message


@pytest.mark.parametrize("value", ["fr-FR", "fr-BE", "nl-BE", "en-IE", "de-DE", "fr"])
def test_locales_of_europe(value: str) -> None:
    assert check_locale(value) == value


def test_a_default_locale_needs_its_region() -> None:
    with pytest.raises(ValueError, match=r"^") as caught:
        check_regional_locale("de")
    assert str(caught.value) == (
        "'de' has no region, and the personas' country (its holidays, its law) comes from it "
        "(did you mean 'de-DE' or 'de-AT'?)"
    )
    assert check_regional_locale("nl_BE") == "nl-BE"


def test_a_locale_may_be_written_with_an_underscore() -> None:
    assert check_locale("en_GB") == "en-GB"


@pytest.mark.parametrize("value", ["FR", "BE", "IE", "FR-57", "FR-67", "FR-68", "DE-BY", "ES-CT"])
def test_countries_and_their_regions(value: str) -> None:
    assert check_country(value) == value


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("QQ", "'QQ' is not a country code"),
        ("fr", "'fr' is not a country code"),
        ("FR-99", "'FR-99' is not a region mcplan knows the public holidays of: FR has FR-57, "),
    ],
)
def test_what_is_not_a_country(value: str, start: str) -> None:
    with pytest.raises(ValueError, match=r"^") as caught:
        check_country(value)
    assert str(caught.value).startswith(start)


def test_a_mistyped_time_zone_gets_the_nearest_one() -> None:
    with pytest.raises(ValueError, match="did you mean 'Europe/Dublin'"):
        check_timezone("Europe/Dublín")
    with pytest.raises(ValueError, match="use an IANA name such as Europe/Paris"):
        check_timezone("Mars/Olympus")


@pytest.mark.parametrize(
    "name",
    ["Europe", "right/UTC", "posix/UTC", "posixrules", "zone.tab", "tzdata.zi", "../zoneinfo/UTC",
     "Europe//Paris", "./UTC", "/etc/localtime", "Europe/Paris/", "", "a" * 300, "Europe/Pa\0ris"],
)  # fmt: skip
def test_only_a_zone_of_the_database_is_a_time_zone(name: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        check_timezone(name)


ZONES = available_timezones()


@given(st.sampled_from(sorted(ZONES)) | st.text(max_size=30))
def test_a_name_is_a_time_zone_when_the_database_lists_it(name: str) -> None:
    assert _is_zone(name) == (name in ZONES)
