"""Journeys (issue 29): `journeys/<id>.yaml` read, validated and counted as campaigns are.

`tests/workspaces/journeys/` is a bike shop in Leipzig (de-DE, Europe/Berlin, German law):
`planted/` has every defect a journey may have at its line, `clean/` none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import PERSONA, ROOT, WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.lint.engine import validation
from mcplan.workspace.journey import Branch, Journey, Send, Wait, When
from mcplan.workspace.journey_steps import MAX_DURATION_HOURS, Duration, parse_duration
from mcplan.workspace.schema import json_schema

JOURNEYS = WORKSPACES / "journeys"

WELCOME = """\
id: welcome
name: Welcome to Cyclo
objectives: [{kind: sales, target: 20000}]
average_order_value: 90
personas: [marie]
entry: {event: signup, per_week: 200, from: 2028-05-01}
re_entry: never
exit: {event: purchase}
message: {headline: Welcome to Cyclo}
steps:
"""


def _found(root: Path) -> set[tuple[str, int, str]]:
    """(file, line, code) of what `mcplan validate` reports."""
    findings = validation(load_workspace(root, discover=False)).findings
    return {(f.location.file, f.location.line, f.rule) for f in findings}


# -- the planted workspace and its clean twin -------------------------------------------------


def test_every_planted_defect_is_reported_at_its_line() -> None:
    structure = {mark for mark in planted(JOURNEYS / "planted") if mark[2].startswith("S")}
    assert _found(JOURNEYS / "planted") == structure


def test_lint_reports_the_same_structure_findings() -> None:
    root = JOURNEYS / "planted"
    found = {
        (f.location.file, f.location.line, f.rule) for f in lint(load_workspace(root)).findings
    }
    assert found == planted(root)


def test_the_clean_twin_is_valid_and_lint_clean(run: Callable) -> None:
    root = JOURNEYS / "clean"
    assert _found(root) == set()
    assert lint(load_workspace(root, discover=False)).findings == []
    result = run("validate", "-w", str(root))
    assert result.exit_code == 0
    assert "workspace valid: 2 personas, 1 campaign, 3 journeys, 14 channels" in result.stderr


def test_the_clean_journeys_are_read_as_written() -> None:
    workspace = load_workspace(JOURNEYS / "clean", discover=False)
    welcome = workspace.journeys["willkommen"]
    assert welcome.entry.per_week == {"pendler": 200, "werkstatt": 15}
    assert str(welcome.entry.from_) == "2028-05-01"
    assert welcome.re_entry is None
    assert welcome.exit is not None
    assert welcome.exit.event == "purchase"
    assert welcome.on_cap.value == "hold"
    assert welcome.brand == "Radhaus Leipzig"
    assert [step.id for _, step in welcome.walk() if isinstance(step, Send)] == [
        "hallo",
        "sms-erinnerung",
        "push-erinnerung",
        "letzter-aufruf",
    ]
    cart = workspace.journeys["warenkorb"]
    assert cart.re_entry == 30 * 24
    assert str(cart.re_entry) == "30d"
    assert cart.on_cap.value == "skip"
    assert cart.per_week_of({"pendler": 12000}) == {"pendler": 300.0}
    assert isinstance(cart.steps[0], Wait)
    assert cart.steps[0].wait.hours == 36


def test_a_single_per_week_is_split_by_persona_size() -> None:
    journey = Journey.model_validate(
        {
            "id": "j",
            "personas": ["a", "b"],
            "entry": {"event": "signup", "per_week": 100, "from": "2028-05-01"},
            "message": {"headline": "Hallo"},
            "steps": [{"id": "s", "send": "email"}],
        }
    )
    assert journey.per_week_of({"a": 3000, "b": 1000}) == {"a": 75.0, "b": 25.0}


def test_a_workspace_of_journeys_only_is_a_workspace(run: Callable, tmp_path: Path) -> None:
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "welcome.yaml").write_text(
        WELCOME + "  - {id: hello, send: email}\n", encoding="utf-8"
    )
    result = run("validate", "-w", str(tmp_path))
    assert "journeys/welcome.yaml" in result.stdout  # marie is unknown: S301
    assert "S301" in result.stdout


def test_validate_leaves_the_summary_alone_without_journeys(run: Callable) -> None:
    result = run("validate", "-w", str(WORKSPACES / "countries" / "clean"))
    assert "journey" not in result.stderr


def test_a_journey_id_defaults_to_its_file_name_and_is_unique(
    make_workspace: Callable,
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "journeys/welcome.yaml": WELCOME.replace("id: welcome\n", "")
            + "  - {id: hello, send: email}\n",
            "journeys/copy.yaml": WELCOME + "  - {id: hello, send: email}\n",
        }
    )
    workspace = load_workspace(root, discover=False)
    assert [f.rule for f in workspace.findings] == ["S302", "S302"]


def test_the_schema_covers_journeys() -> None:
    schema = json_schema("journey")
    assert "entry" in schema["required"]
    assert "steps" in schema["required"]
    assert "id" not in schema["required"]
    assert set(schema["properties"]["entry"]["$ref"].split("/")[-1:]) == {"Entry"}
    assert "from" in schema["$defs"]["Entry"]["properties"]
    assert json.dumps(schema)  # plain JSON


# -- durations ----------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=400), st.sampled_from(["h", "d", "w"]))
def test_a_duration_is_its_hours_or_a_clear_error(amount: int, unit: str) -> None:
    hours = amount * {"h": 1, "d": 24, "w": 168}[unit]
    if hours <= MAX_DURATION_HOURS:
        parsed = parse_duration(f"{amount}{unit}")
        assert isinstance(parsed, Duration)
        assert parsed.hours == hours
        assert str(parsed) == f"{amount}{unit}"
    else:
        with pytest.raises(ValueError, match="longer than a year"):
            parse_duration(f"{amount}{unit}")


@given(st.text(max_size=30))
def test_any_text_is_a_duration_or_a_value_error(text: str) -> None:
    result = _parsed_or_error(text)
    if isinstance(result, str):
        assert "duration" in result
    else:
        assert 1 <= result.hours <= MAX_DURATION_HOURS


def _parsed_or_error(text: str) -> Duration | str:
    try:
        return parse_duration(text)
    except ValueError as error:
        return str(error)


@given(st.one_of(st.integers(), st.floats(), st.none(), st.booleans(), st.lists(st.integers())))
def test_a_value_that_is_not_text_is_not_a_duration(value: object) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0d", "not more than zero"),
        ("-3d", "not more than zero"),
        ("3", "write a whole number and a unit"),
        ("1.5d", "write a whole number and a unit"),
        ("10y", "write a whole number and a unit"),
        ("520w", "longer than a year"),
        ("99999999999999999999999999h", "longer than a year"),
    ],
)
def test_a_bad_duration_says_what_to_write(written: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(written)


# -- hostile files ------------------------------------------------------------------------------


def _hostile(make_workspace: Callable, steps: str, entry: str = "per_week: 200") -> list[str]:
    text = WELCOME.replace("per_week: 200", entry) + steps
    root = make_workspace({"personas/marie.yaml": PERSONA, "journeys/welcome.yaml": text})
    findings = validation(load_workspace(root, discover=False)).findings
    return [f"{f.rule} {f.message}" for f in findings]


def test_ten_thousand_steps_are_refused(make_workspace: Callable) -> None:
    steps = "".join(f"  - {{id: s{i}, send: email}}\n  - {{wait: 1d}}\n" for i in range(5000))
    found = _hostile(make_workspace, steps)
    assert any("more than 1,000 steps" in f for f in found), found


def test_nesting_a_thousand_deep_is_refused(make_workspace: Callable) -> None:
    deep = "{branch: [{otherwise: [" * 1000 + "{id: deep, send: email}" + "]}]}" * 1000
    found = _hostile(make_workspace, f"  - {deep}\n")
    assert found, found
    assert all(f.startswith("S105") for f in found), found


def test_a_branch_of_a_thousand_arms_is_refused(make_workspace: Callable) -> None:
    arms = ", ".join(
        f"{{when: {{share: 0.001}}, steps: [{{id: a{i}, send: email}}]}}" for i in range(1000)
    )
    found = _hostile(make_workspace, f"  - {{id: hello, send: email}}\n  - branch: [{arms}]\n")
    assert any("a branch of more than 100 arms" in f for f in found), found


def test_a_wait_of_ten_years_is_refused(make_workspace: Callable) -> None:
    found = _hostile(make_workspace, "  - {id: hello, send: email}\n  - {wait: 520w}\n")
    assert found == ["S203 steps[1].wait: '520w' is longer than a year: a duration is at most 366d"]


def test_a_huge_per_week_is_refused(make_workspace: Callable) -> None:
    found = _hostile(make_workspace, "  - {id: hello, send: email}\n", "per_week: 1e300")
    assert len(found) == 1, found
    assert found[0].startswith("S203 entry.per_week:"), found


def test_steps_nest_as_written() -> None:
    journey = Journey.model_validate(
        {
            "id": "j",
            "personas": ["a"],
            "entry": {"event": "signup", "per_week": 1, "from": "2028-05-01"},
            "message": {"headline": "Hallo"},
            "steps": [
                {"id": "s", "send": "email"},
                {"wait": "2w"},
                {"branch": [{"when": {"opened": "s"}, "steps": [{"id": "t", "send": "sms"}]},
                            {"otherwise": []}]},
            ],
        }
    )  # fmt: skip
    branch = journey.steps[2]
    assert isinstance(branch, Branch)
    assert isinstance(branch.branch[0], When)
    assert [path for path, _ in journey.walk()][-1] == ("steps", 2, "branch", 0, "steps", 0)


def test_a_step_that_is_none_of_the_kinds_is_one_clear_error() -> None:
    with pytest.raises(ValidationError, match="a step is a send"):
        Journey.model_validate(
            {
                "id": "j",
                "personas": ["a"],
                "entry": {"event": "signup", "per_week": 1, "from": "2028-05-01"},
                "message": {"headline": "Hallo"},
                "steps": [{"mail": "email"}],
            }
        )


def test_the_documented_journey_is_valid(make_workspace: Callable) -> None:
    """docs/journeys.md's example, as a team would copy it, with its two personas."""
    doc = (ROOT / "docs" / "journeys.md").read_text("utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    persona = (
        "market: b2c\nsize: 1000\nstage: acquisition\nchannels:\n"
        "  email: {reach: 0.9, affinity: 0.6, consent: opt_in}\n"
        "  sms: {reach: 0.8, affinity: 0.5, consent: opt_in}\n"
        "  mobile_push: {reach: 0.5, affinity: 0.5, consent: opt_in}\n"
    )
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "en-IE"\nbrand = "Cyclo"\n',
            "personas/aoife-commuter.yaml": persona,
            "personas/cian-family.yaml": persona,
            "journeys/welcome.yaml": example,
        }
    )
    workspace = load_workspace(root, discover=False)
    assert validation(workspace).findings == []
    assert [s.id for _, s in workspace.journeys["welcome"].sends()] == [
        "hello", "sms-nudge", "push-nudge", "last-call",
    ]  # fmt: skip
