"""Countries whose public holidays are their regions' (issue 27, item 9), and what a region is.

`tests/workspaces/nations/planted/` is a UK B2B software firm (en-GB, GBP) that writes no
nation: England's bank holidays apply (a call on Easter Monday is refused) and lint says which
nation it assumed, with the four to choose from; a nation written by its name gets its code.
The clean twin writes `country = "GB-ENG"` and calls on the Tuesday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import holidays
import pytest

from conftest import WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.schedule.windows import holiday
from mcplan.workspace import Persona
from mcplan.workspace.markets import check_country

NATIONS = WORKSPACES / "nations"


def test_planted_problems_are_reported_on_their_lines() -> None:
    root = NATIONS / "planted"
    found = lint(load_workspace(root, discover=False)).findings
    assert {(f.location.file, f.location.line, f.rule) for f in found} == planted(root)


def test_the_clean_twin_has_no_finding() -> None:
    assert lint(load_workspace(NATIONS / "clean", discover=False)).findings == []


def test_the_nation_assumed_is_said_with_the_four_to_choose_from(run: Callable) -> None:
    result = run("lint", "-w", str(NATIONS / "planted"), "-f", "concise")
    said = [line.rpartition("/")[2] for line in result.stdout.splitlines() if " S313 " in line]
    assert said == [
        "mcplan.toml:3:1: info S313 locale: en-GB: persona 'finance-directors' is in the United "
        "Kingdom without a region: the public holidays of England apply (did you mean GB-ENG "
        "(England), GB-NIR (Northern Ireland), GB-SCT (Scotland) or GB-WLS (Wales)?)"
    ]
    assert "(did you mean 'GB-SCT'?)" in result.stdout


def _persona(**fields: str) -> Persona:
    return Persona.model_validate(
        {"id": "p", "market": "b2b", "size": 1, "stage": "loyalty", **fields}
    )


EASTER_MONDAY, AUGUST_BANK_HOLIDAY = date(2027, 3, 29), date(2027, 8, 30)


@pytest.mark.parametrize(
    ("fields", "easter_monday", "august"),
    [
        ({"locale": "en-GB"}, "Easter Monday", "Late Summer Bank Holiday"),  # England assumed
        ({"locale": "en-GB", "country": "GB"}, "Easter Monday", "Late Summer Bank Holiday"),
        ({"locale": "en-GB", "country": "GB-ENG"}, "Easter Monday", "Late Summer Bank Holiday"),
        ({"locale": "en-GB", "country": "GB-WLS"}, "Easter Monday", "Late Summer Bank Holiday"),
        ({"locale": "en-GB", "country": "GB-SCT"}, None, None),  # Scotland's is on 2 August
    ],
)
def test_a_uk_persona_gets_its_nation_s_bank_holidays(
    fields: dict[str, str], easter_monday: str | None, august: str | None
) -> None:
    persona = _persona(**fields)
    assert holiday(persona, EASTER_MONDAY) == easter_monday
    assert holiday(persona, AUGUST_BANK_HOLIDAY) == august


def test_the_workspace_s_country_is_its_personas_unless_their_locale_says_another(
    make_workspace: Callable,
) -> None:
    persona = "market: b2b\nsize: 10\nstage: loyalty\n"
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "en-GB"\ntimezone = "Europe/London"\ncurrency = "GBP"\n'
            'country = "GB-SCT"\n',
            "personas/glasgow.yaml": persona,
            "personas/edinburgh.yaml": persona + "locale: en-GB\n",
            "personas/dublin.yaml": persona + "locale: en-IE\ntimezone: Europe/Dublin\n",
        }
    )
    personas = load_workspace(root, discover=False).personas
    assert {p: personas[p].country for p in personas} == {
        "dublin": "IE", "edinburgh": "GB-SCT", "glasgow": "GB-SCT",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("BE-Flemish", "(did you mean 'BE-VLG'?)"),
        ("GB-Scotland", "(did you mean 'GB-SCT'?)"),
        ("GB-England", "(did you mean 'GB-ENG'?)"),
        ("GB-EN", "(did you mean 'GB-ENG'?): GB has GB-ENG, GB-NIR, GB-SCT, GB-WLS"),
        ("BE-VLA", "(did you mean 'BE-VLG'?): BE has BE-BRU, BE-VLG, BE-WAL"),
    ],
)
def test_a_region_mistyped_gets_one_that_is_accepted(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^") as caught:
        check_country(value)
    assert message in str(caught.value)
    suggested = str(caught.value).split("did you mean '")[1].split("'")[0]
    assert check_country(suggested) == suggested


@pytest.mark.parametrize("value", ["BE-VLG", "BE-WAL", "BE-BRU", "GB-ENG", "GB-NIR", "GB-SCT"])
def test_iso_codes_of_regions_are_accepted(value: str) -> None:
    assert check_country(value) == value


def test_every_region_offered_is_accepted() -> None:
    """What a message lists or suggests is what `country` takes, in every country the holidays
    library knows (the library's own names, like Belgium's `Flemish`, are not ISO codes)."""
    from mcplan.workspace.markets import regions

    for country in holidays.list_supported_countries():
        if len(country) != 2 or country == "UK":  # the library's aliases of GB and others
            continue
        for region in regions(country):
            assert check_country(region) == region
