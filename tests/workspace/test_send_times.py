"""A persona's learned send times (`send_times`, issue 30): read, and each mistake an error at
its line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import WORKSPACES
from mcplan import load_workspace

CLEAN = WORKSPACES / "send_times" / "clean"


def test_the_learned_slots_are_read_per_channel() -> None:
    personas = load_workspace(CLEAN, discover=False).personas
    email = personas["lectores"].send_times["email"]
    assert (email.weekday, email.day, email.hour, email.metric) == ("tuesday", 1, 19, "open")
    assert email.interval == [0.212, 0.251]
    assert email.probability_better == 0.97
    assert email.period is not None
    assert str(email.period.from_) == "2026-10-05"
    assert personas["canarias"].send_times["email"].day is None  # any day
    assert personas["canarias"].send_times.keys() == {"email"}


# (what the line of lectores.yaml becomes, the line, what the error says)
MISTAKES = {
    "hour": ("    hour: 19", "    hour: 24", 12, "email.hour: must be at most 23, got 24"),
    "weekday": (
        "    weekday: tuesday",
        "    weekday: tusday",
        11,
        "'tusday' is not one of: monday, tuesday, wednesday, thursday, friday, saturday, "
        "sunday (did you mean 'tuesday'?)",
    ),
    "metric": ("    metric: open", "    metric: opens", 13, "'opens' is not one of: open, click"),
    "rate": ("    rate: 0.231", "    rate: 1.2", 16, "send_times.email.rate: must be at most 1"),
    "interval": (
        "    interval: [0.212, 0.251]",
        "    interval: [0.24, 0.251]",
        17,
        "the rate (0.231) is not inside its interval [0.24, 0.251]",
    ),
    "channel": (
        "  sms: {reach: 0.6, affinity: 0.5, consent: opt_in}  # avisos de reservas\n",
        "",
        20,
        "send_times.sms: the persona does not list channel 'sms' in `channels` (email)",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_wrong_send_time_is_an_error_at_its_line(
    mistake: str, tmp_path: Path, run: Callable[..., Result]
) -> None:
    before, after, line, said = MISTAKES[mistake]
    shutil.copytree(CLEAN, tmp_path, dirs_exist_ok=True)
    file = tmp_path / "personas" / "lectores.yaml"
    text = file.read_text("utf-8")
    assert before in text
    file.write_text(text.replace(before, after, 1), "utf-8")
    result = run("validate", "--format", "concise", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    found = [row for row in result.output.splitlines() if "S203" in row]
    assert len(found) == 1, result.output
    assert found[0].startswith(f"personas/lectores.yaml:{line}:")
    assert said in found[0]
