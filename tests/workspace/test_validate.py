"""`mcplan validate` on workspaces with planted errors: every kind reported on its exact line."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CAMPAIGN, PERSONA, ROOT, WORKSPACES, Golden, planted
from mcplan import Level, load_workspace, validate
from mcplan.lint.registry import RULES

BROKEN = WORKSPACES / "broken"
# Files whose bytes are the error itself, made by the test rather than committed.
GENERATED = {
    "personas/latin1.yaml": ("S102", 2),
    "personas/empty.yaml": ("S104", 1),
    "campaigns/huge.yaml": ("S103", 1),
    "personas/secret.yaml": ("S108", 1),
    "campaigns/pipe.yaml": ("S108", 1),
}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(BROKEN, root)
    (root / "personas/latin1.yaml").write_bytes("market: b2c\ncity: Orléans\n".encode("latin-1"))
    (root / "personas/empty.yaml").write_text("# nothing here yet\n", encoding="utf-8")
    with (root / "campaigns/huge.yaml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper only
    (tmp_path / "secret.txt").write_text("password: hunter2\n", encoding="utf-8")
    (root / "personas/secret.yaml").symlink_to(tmp_path / "secret.txt")  # out of the workspace
    os.mkfifo(root / "campaigns/pipe.yaml")  # would hang a plain open()
    return root


def test_every_planted_error_is_reported_on_its_line(broken: Path) -> None:
    findings = validate(load_workspace(broken, discover=False))
    reported = {(f.location.file, f.location.line, f.rule) for f in findings}
    expected = planted(BROKEN) | {(name, line, code) for name, (code, line) in GENERATED.items()}
    assert reported == expected


def test_every_structure_rule_is_planted_and_documented(broken: Path) -> None:
    findings = validate(load_workspace(broken, discover=False))
    assert {f.rule for f in findings} == {code for code in RULES if code.startswith("S")}
    for finding in findings:
        assert finding.level == RULES[finding.rule].level, finding


def test_broken_workspace_output_is_exactly_the_golden_file(
    broken: Path, run: Callable[..., object], golden: Golden
) -> None:
    result = run("validate", "--workspace", str(broken))
    assert result.exit_code == 2  # unreadable files are present
    golden(BROKEN.with_name("broken.expected.txt"), result.stdout)
    assert result.stderr == "mcplan: 65 errors, 2 warnings and 1 info in 35 files\n"


def test_example_workspace_is_valid() -> None:
    assert validate(load_workspace(ROOT, discover=False)) == []


# -- one behaviour at a time, on small workspaces -------------------------------------------


def test_promo_codes_and_numbers_keep_their_spelling(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "      code: NO\n      offer: 1.10\n      price: 0012\n      cta: OFF\n",
        }
    )
    message = load_workspace(root).campaigns["c"].message
    assert (message.code, message.offer, message.price, message.cta) == (
        "NO",
        "1.10",
        "0012",
        "OFF",
    )


def test_unquoted_time_ranges_are_read_as_times(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "channel_rules/sms.yaml": """
                extends: sms
                window: {hours: [08:00, 18:30]}
            """
        }
    )
    channel = load_workspace(root).channels["sms"]
    assert channel.window.hours == [("08:00", "18:30")]


def test_touch_with_an_offset_is_checked_in_the_persona_time_zone(
    make_workspace: Callable,
) -> None:
    # 23:30 UTC on 9 February is 00:30 on 10 February in Paris: one day too late.
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "    touches:\n      - {channel: email, at: '2027-02-09T23:30+00:00'}\n",
        }
    )
    [finding] = validate(load_workspace(root))
    assert finding.rule == "S304"
    assert finding.location.line == 8


@pytest.mark.parametrize(
    ("at", "problem"),
    [
        ("2027-02-09T25:00", "there is no hour 25: write 00 to 23"),
        ("2027-02-09T10:61", "there is no minute 61: write 00 to 59"),
        ("2027-02-09T10:00:60", "there is no second 60: write 00 to 59"),
        ("2027-02-29T10:00", "2027-02 has 28 days"),
        ("2027-13-01T10:00", "there is no month 13: write 01 to 12"),
        ("2027-02-09T10:00+24:00", "there is no offset +24:00: write it like +01:00"),
    ],
)
def test_a_date_and_time_out_of_range_says_what_is(
    make_workspace: Callable, at: str, problem: str
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + f"    touches:\n      - {{channel: email, at: '{at}'}}\n",
        }
    )
    [finding] = validate(load_workspace(root))
    assert (finding.rule, finding.location.line) == ("S203", 8)
    assert finding.message == f"touches[0].at: '{at}' is not a date and time: {problem}"


def test_a_day_out_of_range_says_what_is(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN.replace("2027-01-13", "2028-02-30"),
        }
    )
    [finding] = validate(load_workspace(root))
    assert finding.message.endswith("'2028-02-30' is not a date: 2028-02 has 29 days")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["marie", "Bad Id", "ghost"]), min_size=1, max_size=6))
def test_each_finding_of_a_list_is_on_its_own_item(
    make_workspace: Callable, items: list[str]
) -> None:
    # A bad item is left out of what is read; the items after it keep their index and column.
    line = "personas: [" + ", ".join(items) + "]"
    campaign = "message: {headline: Soldes, starts: 2027-01-13, ends: 2027-01-20}\n" + line + "\n"
    root = make_workspace({"personas/marie.yaml": PERSONA, "campaigns/c.yaml": campaign})
    found = validate(load_workspace(root))
    start = len("personas: [") + 1
    columns = [start + sum(len(x) + 2 for x in items[:i]) for i in range(len(items))]
    expected = {
        (columns[i], "S203" if item == "Bad Id" else "S301", f"personas[{i}]")
        for i, item in enumerate(items)
        if item != "marie"
    }
    assert {(f.location.column, f.rule, f.message.split(":")[0]) for f in found} == expected


def test_follow_up_must_come_after_the_touch_it_follows(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + """
    touches:
      - {channel: sms, at: 2027-01-13T09:00, after: email}
      - {channel: email, at: 2027-01-14T09:00}
      - {channel: sms, at: 2027-01-15T09:00, after: email}
""",
        }
    )
    [finding] = validate(load_workspace(root))
    assert (finding.rule, finding.location.line) == ("S303", 9)
    assert finding.message == (
        "touches[0].after: no earlier 'email' touch reaches persona 'marie' before this one"
    )


def test_warnings_alone_do_not_fail(make_workspace: Callable, run: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN + "    channels: [email, store]\n",
        }
    )
    result = run("validate", "-w", str(root))
    assert result.exit_code == 0
    assert "warning S308 channels[1]: no persona of this campaign uses channel 'store'" in (
        result.stdout
    )
    assert result.stderr.startswith("mcplan: workspace valid: 1 persona, 1 campaign")


def test_errors_exit_with_1_and_unreadable_files_with_2(
    make_workspace: Callable, run: Callable
) -> None:
    root = make_workspace({"personas/marie.yaml": PERSONA.replace("b2c", "b2x")})
    assert run("validate", "-w", str(root)).exit_code == 1
    (root / "personas/broken.yaml").write_text("a: [\n", encoding="utf-8")
    assert run("validate", "-w", str(root)).exit_code == 2


def test_a_broken_file_does_not_hide_the_rest(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "personas/broken.yaml": "market: [b2c\n",
            "campaigns/c.yaml": CAMPAIGN.replace("[marie]", "[marie, broken, paul]"),
        }
    )
    findings = validate(load_workspace(root))
    # 'broken' exists (its file failed to parse): only 'paul' is an unknown persona.
    assert [(f.location.file, f.rule) for f in findings] == [
        ("campaigns/c.yaml", "S301"),
        ("personas/broken.yaml", "S101"),
    ]
    assert findings[0].level is Level.ERROR


@pytest.mark.parametrize(
    "broken",
    [
        {"personas/paul.yaml": PERSONA.replace("stage: loyalty", "")},  # cannot be read
        {"personas/paul.yaml": PERSONA, "personas/paul-copy.yaml": "    id: paul" + PERSONA},
    ],
    ids=["unreadable", "duplicate id"],
)
def test_a_persona_that_cannot_be_read_does_not_make_its_channels_unused(
    make_workspace: Callable, broken: dict[str, str]
) -> None:
    # paul would use the store: nobody can tell, so S308 says nothing of it.
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            **broken,
            "campaigns/c.yaml": CAMPAIGN.replace("[marie]", "[marie, paul]")
            + "    channels: [email, store]\n",
        }
    )
    assert "S308" not in {f.rule for f in validate(load_workspace(root))}
