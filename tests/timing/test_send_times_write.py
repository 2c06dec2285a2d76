"""`mcplan.timing.write`: the learned send times written into the persona files, only the
`send_times` value changed, byte for byte (golden files), and the workspace still valid."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import Result

from conftest import WORKSPACES, Golden
from mcplan import load_workspace
from mcplan.plan.yamledit import UpdateError
from mcplan.timing import SendTime, Slot
from mcplan.timing.write import apply_send_times, changes, left_out, updated_text
from mcplan.workspace.send_times import SendTimeSlot
from mcplan.workspace.yamlsource import parse

CLEAN = WORKSPACES / "send_times" / "clean"
GOLDEN = Path(__file__).parent / "golden"


def learned(
    persona: str,
    channel: str,
    best: Slot | None,
    rate: float = 0.2,
    *,
    enough: bool = True,
    current: Slot | None = None,
) -> SendTime:
    """A send time as `mcplan timing` gives it."""
    return SendTime(
        persona=persona,
        channel=channel,
        metric="open",
        sends=8000,
        engaged=1700,
        period=(date(2027, 1, 4), date(2027, 6, 27)),
        best=best if enough else None,
        rate=rate if enough else None,
        interval=(rate - 0.0123, rate + 0.01234) if enough else None,
        current=current,
        current_rate=rate - 0.05 if current else None,
        gain=0.05 if current else None,
        probability_better=0.99612 if current else None,
        enough_data=enough,
        sends_needed=None if enough else 4000,
    )


RESULTS = (
    # lectores: e-mail learned again (replaced), sms without enough data (kept as written)
    learned("lectores", "email", Slot(2, 20), 0.24567, current=Slot(None, 10)),
    learned("lectores", "sms", Slot(None, 9), enough=False),
    # estudiantes: sms learned for the first time (added after e-mail)
    learned("estudiantes", "sms", Slot(None, 18), 0.0712),
    # canarias does not list sms; nadie is no persona: both left out
    learned("canarias", "sms", Slot(None, 12)),
    learned("nadie", "email", Slot(None, 12)),
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(CLEAN, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.mark.parametrize("persona", ["estudiantes", "lectores"])
def test_only_send_times_changes_byte_for_byte(
    persona: str, workspace: Path, golden: Golden
) -> None:
    written = apply_send_times(load_workspace(workspace, discover=False), RESULTS)
    assert sorted(c.file for c in written) == [
        "personas/estudiantes.yaml",
        "personas/lectores.yaml",
    ]
    after = (workspace / "personas" / f"{persona}.yaml").read_bytes().decode("utf-8")
    golden(GOLDEN / f"{persona}.after.yaml", after)
    before = (CLEAN / "personas" / f"{persona}.yaml").read_text("utf-8")
    head = before[: before.index("send_times:")]
    assert after.startswith(head)  # every byte before the key kept
    tail = before[before.index("\npressure:") :] if "\npressure:" in before else ""
    assert after.endswith(tail)  # and after it


def test_the_workspace_still_validates_and_a_second_write_changes_nothing(
    workspace: Path, run: Callable[..., Result]
) -> None:
    apply_send_times(load_workspace(workspace, discover=False), RESULTS)
    assert run("validate", cwd=workspace).exit_code == 0
    again = load_workspace(workspace, discover=False)
    assert apply_send_times(again, RESULTS) == []
    email = again.personas["lectores"].send_times["email"]
    assert (email.weekday, email.hour, email.rate, email.interval) == (
        "wednesday",
        20,
        0.246,
        [0.233, 0.258],
    )
    assert again.personas["lectores"].send_times["sms"].hour == 21  # not enough data: kept


def test_what_is_left_out_is_said_and_a_preview_is_a_diff(workspace: Path) -> None:
    loaded = load_workspace(workspace, discover=False)
    assert left_out(loaded, RESULTS) == [
        "persona 'canarias': it does not list channel 'sms'",
        "persona 'nadie': the workspace has no such persona (or its file does not load)",
    ]
    preview = {c.file: c.diff() for c in changes(loaded, RESULTS)}
    assert "+  sms:\n+    hour: 18\n" in preview["personas/estudiantes.yaml"]
    assert (workspace / "personas" / "estudiantes.yaml").read_bytes() == (
        CLEAN / "personas" / "estudiantes.yaml"
    ).read_bytes()  # a preview writes nothing


def test_the_key_is_added_after_pressure_and_line_ends_are_kept() -> None:
    original = (
        "name: Ana\r\nchannels:\r\n  email: {reach: 1, affinity: 1}\r\n"
        "pressure: {max_per_week: 2}  # law\r\nsize: 3\r\n"
    )
    text = updated_text(original, [learned("ana", "email", Slot(4, 7), 0.3)])
    assert text == (
        "name: Ana\r\nchannels:\r\n  email: {reach: 1, affinity: 1}\r\n"
        "pressure: {max_per_week: 2}  # law\r\n"
        "send_times:\r\n  email:\r\n    weekday: friday\r\n    hour: 7\r\n    metric: open\r\n"
        "    sends: 8000\r\n    period: {from: 2027-01-04, until: 2027-06-27}\r\n"
        "    rate: 0.3\r\n    interval: [0.288, 0.312]\r\nsize: 3\r\n"
    )


def test_a_file_that_cannot_be_kept_byte_for_byte_is_refused() -> None:
    twice = "name: Ana\nsend_times: {}\nsend_times: {}\n"
    with pytest.raises(UpdateError, match="written 2 times"):
        updated_text(twice, [learned("ana", "email", Slot(4, 7), 0.3)])


def test_a_flow_value_is_written_again_as_a_block() -> None:
    flow = "{email: {hour: 9, metric: click, sends: 10, rate: 0.1, interval: [0.05, 0.2]}}"
    original = f"name: Ana\nsend_times: {flow}  # old\nsize: 3\n"
    lines = updated_text(original, [learned("ana", "sms", Slot(None, 12), 0.3)]).split("\n")
    assert lines[1].split() == ["send_times:", "#", "old"]  # the comment at its column
    assert lines[:1] + lines[2:] == [
        "name: Ana",
        *("  email:", "    hour: 9", "    metric: click", "    sends: 10", "    rate: 0.1"),
        *("    interval: [0.05, 0.2]", "  sms:", "    hour: 12", "    metric: open"),
        *("    sends: 8000", "    period: {from: 2027-01-04, until: 2027-06-27}"),
        *("    rate: 0.3", "    interval: [0.288, 0.312]", "size: 3", ""),
    ]


def test_a_rate_outside_its_interval_is_written_inside_it() -> None:
    skewed = dataclasses.replace(learned("ana", "email", Slot(0, 9), 0.05), interval=(0.06, 0.2))
    text = updated_text("name: Ana\n", [skewed])
    assert "    rate: 0.05\n    interval: [0.05, 0.2]\n" in text


@settings(max_examples=40, deadline=None)
@given(
    weekday=st.none() | st.integers(0, 6),
    hour=st.integers(0, 23),
    rate=st.floats(0.02, 0.95),
    channels=st.sets(st.sampled_from(["email", "sms", "mobile_push"]), min_size=1),
)
def test_what_is_written_reads_back_and_writing_again_changes_nothing(
    weekday: int | None, hour: int, rate: float, channels: set[str]
) -> None:
    original = (CLEAN / "personas" / "lectores.yaml").read_text("utf-8")
    results = [learned("lectores", c, Slot(weekday, hour), rate) for c in sorted(channels)]
    text = updated_text(original, results)
    read = parse(text, "lectores.yaml").data
    for channel in channels:
        slot = SendTimeSlot.model_validate(read["send_times"][channel])
        assert (slot.day, slot.hour, slot.rate) == (weekday, hour, round(rate, 3))
    kept = {"email", "sms"} - channels
    before = parse(original, "lectores.yaml").data
    assert all(read["send_times"][c] == before["send_times"][c] for c in kept)
    assert {k: v for k, v in read.items() if k != "send_times"} == {
        k: v for k, v in before.items() if k != "send_times"
    }
    assert updated_text(text, results) == text


def test_written_then_planned_the_touches_go_at_the_new_slot(
    workspace: Path, run: Callable[..., Result]
) -> None:
    thursday = learned("lectores", "email", Slot(3, 9), 0.3, current=Slot(1, 19))
    apply_send_times(load_workspace(workspace, discover=False), [thursday])
    assert run("plan", "primavera", "--write", cwd=workspace).exit_code == 0
    text = (workspace / "campaigns" / "primavera.yaml").read_text("utf-8")
    # the sms on Monday 22 March, the e-mail two days after it at the earliest: Thursday 09:00
    assert "  - {channel: email, at: 2027-03-25T09:00, after: sms, personas: [lectores]}\n" in text
    assert run("validate", cwd=workspace).exit_code == 0
