"""`plan` and journeys at each persona's learned send time (`send_times`, issue 30): in Madrid
and in the Canaries (an hour behind), across the clock change of 28 March 2027."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import Result

from conftest import WORKSPACES
from mcplan import load_workspace
from mcplan.schedule.journey_times import Placer, journey_load, ways_to
from mcplan.schedule.journeys import paths

CLEAN = WORKSPACES / "send_times" / "clean"
MADRID = ZoneInfo("Europe/Madrid")

# sms first (the most valuable), the e-mails two days after; each persona at its slot:
# lectores' sms at 19:00 (its 21:00 is after the window), its e-mail on a Tuesday at 19:00
# (after the clock change), canarias at 08:00 its time, estudiantes' e-mail on Sunday at
# 20:00 and its sms at 10:00 (no slot learned).
PROPOSED = """\
touches:
  - {channel: sms, at: 2027-03-22T10:00, personas: [estudiantes]}
  - {channel: sms, at: 2027-03-22T19:00, personas: [lectores]}
  - {channel: email, at: 2027-03-24T08:00, personas: [canarias]}
  - {channel: email, at: 2027-03-28T20:00, after: sms, personas: [estudiantes]}
  - {channel: email, at: 2027-03-30T19:00, after: sms, personas: [lectores]}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(CLEAN, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_plan_write_puts_each_persona_at_its_slot_and_the_workspace_validates(
    workspace: Path, run: Callable[..., Result]
) -> None:
    result = run("plan", "primavera", "--write", cwd=workspace)
    assert result.exit_code == 0, result.output
    text = (workspace / "campaigns" / "primavera.yaml").read_text("utf-8")
    assert text.endswith("channels: [email, sms]\n" + PROPOSED)
    assert run("validate", cwd=workspace).exit_code == 0
    linted = run("lint", "--format", "concise", cwd=workspace)
    assert linted.exit_code == 0, linted.output  # P108 says nothing of plan's own touches


def test_without_send_times_every_touch_goes_at_ten(
    workspace: Path, run: Callable[..., Result]
) -> None:
    for file in (workspace / "personas").glob("*.yaml"):
        text = file.read_text("utf-8")
        file.write_text(re.sub(r"send_times:\n(  .*\n)*", "", text), "utf-8")
    assert run("plan", "primavera", "--write", cwd=workspace).exit_code == 0
    text = (workspace / "campaigns" / "primavera.yaml").read_text("utf-8")
    times = re.findall(r"at: \d{4}-\d\d-\d\dT(\d\d:\d\d)", text)
    assert times
    assert set(times) == {"10:00"}


def test_explain_says_at_which_learned_time_each_touch_goes(
    workspace: Path, run: Callable[..., Result]
) -> None:
    result = run("plan", "primavera", "--explain", "--format", "markdown", cwd=workspace)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "envío aprendido" in line]
    assert lines == [
        "_sms lun 22 mar 2027 19:00 para lectores: el momento de envío aprendido, 21:00, está "
        "fuera de la ventana del canal (08:00–20:00): en el momento permitido más cercano._",
        "_email mié 24 mar 2027 08:00 para canarias: en el momento de envío aprendido, 08:00 "
        "(tasa de apertura 18,0\u00a0%, 2.100 envíos)._",
        "_email dom 28 mar 2027 20:00 para estudiantes: en el momento de envío aprendido, "
        "domingo 20:00 (tasa de clics 4,0\u00a0%, 900 envíos)._",
        "_email mar 30 mar 2027 19:00 para lectores: en el momento de envío aprendido, martes "
        "19:00 (tasa de apertura 23,1\u00a0%, 5.400 envíos)._",
    ]


@pytest.mark.parametrize(
    ("persona", "entry", "sent"),
    [
        # entered on a Monday evening: the next Tuesday at 19:00, winter time (+01:00)
        ("lectores", datetime(2027, 3, 22, 20, 30), datetime(2027, 3, 23, 19, 0)),
        # entered on the Saturday before the clock change: Tuesday 19:00, summer time (+02:00)
        ("lectores", datetime(2027, 3, 27, 12, 30), datetime(2027, 3, 30, 19, 0)),
        # entered on Tuesday at 19:30, past the slot: a week later
        ("lectores", datetime(2027, 3, 23, 19, 30), datetime(2027, 3, 30, 19, 0)),
        # estudiantes: Sunday 20:00, on the night of the clock change's day
        ("estudiantes", datetime(2027, 3, 22, 9, 30), datetime(2027, 3, 28, 20, 0)),
    ],
)
def test_a_journey_send_without_at_goes_at_the_learned_slot(
    persona: str, entry: datetime, sent: datetime
) -> None:
    loaded = load_workspace(CLEAN, discover=False)
    ways = paths(loaded.journeys["bienvenida"], shares=True)
    (hola,) = ways_to(ways)[("steps", 0)]
    at = Placer(loaded, loaded.personas[persona]).place(hola, entry.replace(tzinfo=MADRID))
    assert at == sent.replace(tzinfo=MADRID)
    assert at is not None
    assert at.utcoffset() == sent.replace(tzinfo=MADRID).utcoffset()


def test_a_journeys_daily_sends_fall_on_the_slots_weekday() -> None:
    loaded = load_workspace(CLEAN, discover=False)
    ways = paths(loaded.journeys["bienvenida"], shares=True)
    weekly = {"hola": {"lectores": 100.0, "estudiantes": 40.0}}
    span = (date(2027, 3, 15), date(2027, 4, 11))
    load = journey_load(loaded, ways, span, (date(2027, 3, 1), date(2027, 4, 30)), weekly)
    assert {day.weekday() for day in load["lectores"]} == {1}  # Tuesdays only
    assert {day.weekday() for day in load["estudiantes"]} == {6}  # Sundays only
    assert sum(d["email"] for d in load["lectores"].values()) == pytest.approx(400, rel=0.01)


def test_a_persona_whose_weekday_is_full_goes_at_its_hour_on_another_day(
    workspace: Path, run: Callable[..., Result]
) -> None:
    message = "message: {{headline: {0}, starts: 2027-03-22, ends: 2027-03-28}}\n"
    (workspace / "campaigns" / "ocupado.yaml").write_text(
        "personas: [lectores]\n" + message.format("Ocupado")
        + "touches:\n  - {channel: email, at: 2027-03-23T10:00}\n", "utf-8"
    )  # fmt: skip
    (workspace / "campaigns" / "semana.yaml").write_text(
        "personas: [lectores]\nchannels: [email]\nobjectives: [{kind: sales, target: 100}]\n"
        "average_order_value: 25\n" + message.format("Semana"), "utf-8"
    )  # fmt: skip
    result = run("plan", "semana", "--write", cwd=workspace)
    assert result.exit_code == 0, result.output
    text = (workspace / "campaigns" / "semana.yaml").read_text("utf-8")
    # its only Tuesday has an e-mail already (at most one a day), and Monday 19:00 is less than
    # the e-mail's 24 hours before it: Wednesday, at its 19:00
    assert "touches:\n  - {channel: email, at: 2027-03-24T19:00}\n" in text
