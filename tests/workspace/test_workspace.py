"""Finding and loading a workspace: discovery, settings, bundled channels and `extends`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUNDLED_CHANNELS, CAMPAIGN, PERSONA, ROOT
from mcplan import Settings, WorkspaceNotFoundError, find_root, load_workspace, validate
from mcplan.findings import Location
from mcplan.workspace import BUNDLED_PREFIX, Persona, Pressure, bundled_documents

BUNDLED = set(BUNDLED_CHANNELS)


# -- discovery ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marker", ["mcplan.toml", "personas/", "campaigns/", "channel_rules/", "pyproject.toml"]
)
def test_the_workspace_is_found_from_a_subfolder(tmp_path: Path, marker: str) -> None:
    if marker.endswith("/"):
        (tmp_path / marker).mkdir()
    elif marker == "pyproject.toml":
        (tmp_path / marker).write_text("[tool.mcplan]\nbrand = 'X'\n", encoding="utf-8")
    else:
        (tmp_path / marker).write_text("", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()


def test_a_pyproject_without_mcplan_settings_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(WorkspaceNotFoundError, match="no mcplan workspace"):
        find_root(tmp_path)


def test_an_explicit_folder_is_used_as_it_is(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFoundError, match="is not an mcplan workspace"):
        load_workspace(tmp_path, discover=False)  # a repository's root, say
    (tmp_path / "campaigns").mkdir()
    assert load_workspace(tmp_path, discover=False).root == tmp_path.resolve()
    with pytest.raises(WorkspaceNotFoundError, match="workspace folder not found"):
        load_workspace(tmp_path / "missing", discover=False)


def test_files_are_read_recursively_but_hidden_ones_are_skipped(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/b2c/marie.yaml": PERSONA,
            "personas/.drafts/old.yaml": "not: [valid",
            "personas/notes.md": "# not a persona",
        }
    )
    workspace = load_workspace(root)
    assert list(workspace.personas) == ["marie"]
    assert workspace.findings == []


# -- settings -------------------------------------------------------------------------------


def test_settings_have_french_defaults(tmp_path: Path) -> None:
    (tmp_path / "personas").mkdir()
    settings = load_workspace(tmp_path, discover=False).settings
    assert settings == Settings()
    assert (settings.locale, settings.timezone, settings.currency) == (
        "fr-FR",
        "Europe/Paris",
        "EUR",
    )
    assert settings.pressure.max_per_week == 3


def test_settings_from_pyproject(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "pyproject.toml": """
                [project]
                name = "my-campaigns"

                [tool.mcplan]
                brand = "Maison Lumen"
                locale = "fr_BE"

                [tool.mcplan.pressure]
                max_per_week = 2
            """
        }
    )
    workspace = load_workspace(root)
    assert workspace.settings_file == "pyproject.toml"
    assert workspace.settings.brand == "Maison Lumen"
    assert workspace.settings.locale == "fr-BE"
    assert workspace.settings.pressure.max_per_week == 2


def test_mcplan_toml_wins_over_pyproject(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "A"\n',
            "pyproject.toml": '[tool.mcplan]\nbrand = "B"\n',
        }
    )
    assert load_workspace(root).settings.brand == "A"


def test_settings_errors_name_the_line(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "pyproject.toml": """
                [project]
                name = "x"

                [tool.mcplan.pressure]
                max_per_wek = 2
            """
        }
    )
    [finding] = load_workspace(root).findings
    assert finding.location == Location("pyproject.toml", 5, 1)
    assert finding.message == (
        "pressure.max_per_wek: unknown key 'max_per_wek' (did you mean 'max_per_week'?)"
    )


def test_invalid_toml_is_an_unreadable_file(make_workspace: Callable) -> None:
    root = make_workspace({"mcplan.toml": 'brand = "A"\nlocale = \n'})
    [finding] = load_workspace(root).findings
    assert (finding.rule, finding.location.line, finding.unreadable) == ("S101", 2, True)
    assert finding.message.startswith("invalid TOML: ")


def test_a_default_locale_without_region_is_found_on_its_line(make_workspace: Callable) -> None:
    root = make_workspace(
        {"mcplan.toml": 'brand = "A"\nlocale = "de"\n', "personas/marie.yaml": PERSONA}
    )
    [finding] = load_workspace(root).findings
    assert (finding.rule, finding.location) == ("S203", Location("mcplan.toml", 2, 1))
    assert "'de' has no region" in finding.message


def test_persona_defaults_come_from_settings(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'timezone = "America/Montreal"\nlocale = "fr-CA"\n'
            "[pressure]\nmax_per_week = 5\n",
            "personas/marie.yaml": PERSONA,
            "personas/paul.yaml": PERSONA
            + "    timezone: Europe/Brussels\n    country: BE\n    pressure: {min_gap_hours: 24}\n",
        }
    )
    personas = load_workspace(root).personas
    marie, paul = personas["marie"], personas["paul"]
    assert (marie.locale, marie.timezone, marie.country) == ("fr-CA", "America/Montreal", "CA")
    assert marie.pressure is not None
    assert marie.pressure.max_per_week == 5
    assert (paul.timezone, paul.country) == ("Europe/Brussels", "BE")
    assert paul.pressure == Pressure(max_per_week=5, min_gap_hours=24)
    assert marie.name == "marie"  # the id, when no name is given


def test_campaign_brand_defaults_to_the_workspace_brand(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Maison Lumen"\n',
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN.replace("    brand: Maison Lumen\n", ""),
        }
    )
    assert load_workspace(root).campaigns["c"].brand == "Maison Lumen"


# -- channels -------------------------------------------------------------------------------


def test_the_bundled_library_has_every_channel(tmp_path: Path) -> None:
    (tmp_path / "channel_rules").mkdir()
    workspace = load_workspace(tmp_path, discover=False)
    assert set(workspace.channels) >= BUNDLED
    assert workspace.findings == []
    assert {workspace.origin(c) for c in workspace.channels} == {"bundled"}


def test_a_workspace_channel_replaces_the_bundled_one(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "channel_rules/sms.yaml": """
                name: SMS maison
                direction: outbound
                cost_per_contact: 0.04
                rates: {open: 0.9, click: 0.1, conversion: 0.01}
            """
        }
    )
    workspace = load_workspace(root)
    sms = workspace.channels["sms"]
    assert (sms.name, sms.cost_per_contact, sms.must_contain, sms.template) == (
        "SMS maison",
        0.04,
        [],
        "",
    )
    assert workspace.origin("sms") == "workspace"


def test_extends_changes_only_the_keys_written(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "channel_rules/sms.yaml": """
                extends: sms
                cost_per_contact: 0.045
                window: {hours: ["09:00", "19:00"]}
            """
        }
    )
    workspace = load_workspace(root)
    sms, bundled = workspace.channels["sms"], bundled_documents()["sms"].data
    assert sms.cost_per_contact == 0.045
    assert sms.window.hours == [("09:00", "19:00")]
    # Mappings merge key by key: the bundled days and holiday rule stay.
    assert [d.value for d in sms.window.days] == bundled["window"]["days"]
    assert sms.window.holidays is bundled["window"]["holidays"]
    assert sms.must_contain
    # For a French persona, French law goes under the workspace's keys: no holidays, its hours.
    persona = Persona.model_validate(
        {"id": "p", "market": "b2c", "size": 1, "stage": "loyalty", "country": "FR"}
    )
    french = workspace.law("sms", persona).channel.window
    assert (french.hours, french.holidays) == ([("09:00", "19:00")], False)
    assert sms.rates.open == bundled["rates"]["open"]
    assert workspace.origin("sms") == "extends sms"
    # Positions: changed keys point at the workspace file, the rest at the bundled file.
    source = workspace.source("channel_rules", "sms")
    assert source.locate(("cost_per_contact",)).file == "channel_rules/sms.yaml"
    assert source.locate(("window", "hours")).file == "channel_rules/sms.yaml"
    assert source.locate(("window", "days")).file == BUNDLED_PREFIX + "sms.yaml"


def test_a_new_channel_can_extend_another(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "channel_rules/sms-flash.yaml": "extends: sms\nname: SMS flash\n",
            "channel_rules/sms-flash-vip.yaml": "extends: sms-flash\ncost_per_contact: 0.1\n",
        }
    )
    channels = load_workspace(root).channels
    assert channels["sms-flash-vip"].name == "SMS flash"
    assert channels["sms-flash-vip"].cost_per_contact == 0.1
    assert channels["sms-flash"].limits == channels["sms"].limits


def test_errors_in_a_merged_channel_point_at_the_workspace_file(make_workspace: Callable) -> None:
    root = make_workspace({"channel_rules/sms.yaml": "extends: sms\nrates: {click: 0.99}\n"})
    [finding] = validate(load_workspace(root))
    assert finding.location.file == "channel_rules/sms.yaml"
    assert "click (0.99) cannot be higher than open" in finding.message


def test_every_bundled_channel_is_documented_with_sources() -> None:
    doc = (ROOT / "docs" / "channels.md").read_text("utf-8")
    for channel_id in BUNDLED:
        assert f"`{channel_id}`" in doc, channel_id
