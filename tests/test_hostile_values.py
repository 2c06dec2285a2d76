"""One hostile edit to the example workspace at a time: each is a clear finding at its line (or a
clean run), never a crash (exit 3, "internal error")."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, french

PERSONA = "personas/marie-citadine.yaml"
CAMPAIGN = "campaigns/soldes-hiver-2027.yaml"
FIRST_TOUCH = "  - {channel: email, at: 2027-01-13T09:00}"


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (case, file, old text, new text, command, exit code, what the output says)
CASES = [
    ("size-10^400", PERSONA, "size: 48000", "size: 1" + "0" * 400, "plan", 1,
     "size: must be at most 10,000,000,000, got a number of 401 characters"),
    ("gap-1e300", "mcplan.toml", "max_per_week = 3", "max_per_week = 3\nmin_gap_hours = 1e300",
     "lint", 1, "pressure.min_gap_hours: must be at most 8,784, got 1e+300"),
    ("gap-inf", "mcplan.toml", "max_per_week = 3", "max_per_week = 3\nmin_gap_hours = inf",
     "plan", 1, "pressure.min_gap_hours: input should be a finite number, got inf"),
    ("offset-among-naive", CAMPAIGN, FIRST_TOUCH,
     "  - {channel: email, at: '2027-01-13T09:00+01:00'}", "plan", 0, "Soldes d'hiver 2027"),
    ("id-0012", PERSONA, "id: marie-citadine", "id: 0012", "validate", 1,
     "unknown persona 'marie-citadine'"),
    ("id-1e5", PERSONA, "id: marie-citadine", "id: 1e5", "validate", 1,
     "unknown persona 'marie-citadine'"),
    ("locale-zz", PERSONA, "stage: loyalty", "stage: loyalty\nlocale: zz-ZZ",
     "preview soldes-hiver-2027 -o {tmp}/p.html", 0,
     "'zz-ZZ' is not a locale mcplan knows"),
    ("zone-folder", PERSONA, "stage: loyalty", "stage: loyalty\ntimezone: Europe", "lint", 1,
     "timezone: unknown time zone 'Europe': use an IANA name such as Europe/Paris"),
    ("zone-300", PERSONA, "stage: loyalty", "stage: loyalty\ntimezone: " + "a" * 300, "lint", 1,
     "timezone: unknown time zone 'aaaa"),
    ("year-1", CAMPAIGN, FIRST_TOUCH, "  - {channel: email, at: 0001-01-13T09:00}", "lint", 1,
     "'0001-01-13T09:00' is not a date and time: the year must be from 1970 to 2199"),
    ("year-9999", CAMPAIGN, "ends: 2027-02-09", "ends: 9999-12-31", "plan", 1,
     "'9999-12-31' is not a date: the year must be from 1970 to 2199"),
    ("url-bracket", CAMPAIGN, "url: https://maison-lumen.fr", "url: https://[aison-lumen.fr",
     "lint", 1, "'https://[aison-lumen.fr/soldes' is not a web address"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "command", "code", "says"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_hostile_value_is_a_finding_never_a_crash(
    run: Callable, tmp_path: Path, file: str, old: str, new: str, command: str, code: int,
    says: str,
) -> None:  # fmt: skip
    root = tmp_path / "ws"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("tests", "src", ".*", "benchmarks"))
    edit(root, file, old, new)
    result = run(*command.replace("{tmp}", str(tmp_path)).split(), "-w", str(root))
    assert "internal error" not in result.stderr
    assert result.exit_code == code, result.stdout + result.stderr
    checked = run("validate", "-w", str(root))  # where plan only says what it left out
    assert french(says) in result.stdout + result.stderr + checked.stdout


# Python reads at most 4,300 digits of a whole number (sys.int_info), in time quadratic in
# their number; every number of a workspace file is read without converting more than 300.
DIGITS = "1" + "0" * 4300  # 4,301 digits
SMS_RULES = "channel_rules/sms.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "says"),
    [
        (PERSONA, "size: 48000", f"size: {DIGITS}", 1,
         f"{PERSONA}:6:7: error S203 size: must be at most 10,000,000,000, got a number of "
         "4,301 characters"),
        (PERSONA, "size: 48000", f"size: -{DIGITS}", 1,
         f"{PERSONA}:6:7: error S203 size: must be at least 0, got a number of 4,302 characters"),
        (PERSONA, "size: 48000", f"size: !!int {DIGITS}", 1,
         f"{PERSONA}:6:7: error S203 size: must be at most 10,000,000,000"),
        (PERSONA, "size: 48000", "size: !!float 1" + "0" * 400, 1,
         f"{PERSONA}:6:7: error S203 size: expected a whole number, got a number of 401"),
        (PERSONA, "size: 48000", "size: 0x" + "f" * 5000, 1,
         f"{PERSONA}:6:7: error S203 size: must be at most 10,000,000,000, got a number of "
         "5,002 characters"),
        (PERSONA, "reach: 0.92", f"reach: {DIGITS}", 1,
         f"{PERSONA}:14:24: error S203 channels.email.reach: must be at most 1, got a number"),
        (PERSONA, "reach: 0.92", f"reach: {DIGITS}.5e-9", 1,
         f"{PERSONA}:14:24: error S203 channels.email.reach: input should be a finite number"),
        (CAMPAIGN, "budget: 6000", f"budget: {DIGITS}", 1,
         f"{CAMPAIGN}:7:9: error S203 budget: must be at most 1,000,000,000,000, got a number"),
        (SMS_RULES, "extends: sms", f"extends: sms\npressure: {{max_per_week: {DIGITS}}}", 1,
         f"{SMS_RULES}:2:26: error S203 pressure.max_per_week: must be at most 1,000,000, got "
         "a number of 4,301 characters"),
        ("mcplan.toml", "max_per_week = 3", f"max_per_week = {DIGITS}", 2,
         "mcplan.toml:11:16: error S101 invalid TOML: a number of 4,301 digits, more than the "
         "4,300 mcplan reads"),
        ("mcplan.toml", "max_per_week = 3", f"max_per_week = 3\nx = [1,\n  -{DIGITS}]", 2,
         "mcplan.toml:13:3: error S101 invalid TOML: a number of 4,301 digits"),
        ("mcplan.toml", "max_per_week = 3", "max_per_week = 0x" + "f" * 5000, 1,
         "mcplan.toml:11:1: error S203 pressure.max_per_week: must be at most 1,000,000, got a "
         "number of more than 300 digits"),
        ("mcplan.toml", "max_per_week = 3", f"max_per_week = 3\nmin_gap_hours = {DIGITS}.5", 1,
         "mcplan.toml:12:1: error S203 pressure.min_gap_hours: input should be a finite number"),
    ],
    ids=["size", "size-negative", "int-tag", "float-tag", "hex", "float-field", "float-digits",
         "budget", "channel-cap", "toml-cap", "toml-array", "toml-hex", "toml-float"],
)  # fmt: skip
def test_a_number_of_thousands_of_digits_is_a_finding_at_its_line(
    run: Callable, tmp_path: Path, file: str, old: str, new: str, code: int, says: str
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("tests", "src", ".*", "benchmarks"))
    if file == SMS_RULES:
        (root / file).write_text("extends: sms\n", encoding="utf-8")
    edit(root, file, old, new)
    for command in ("validate", "lint"):
        result = run(command, "-w", str(root), "-f", "concise", cwd=root)
        assert "internal error" not in result.stderr
        assert result.exit_code == code, result.stdout + result.stderr
        assert french(says) in result.stdout


def test_a_number_of_thousands_of_digits_in_free_text_is_no_crash(
    run: Callable, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("tests", "src", ".*", "benchmarks"))
    edit(root, PERSONA, "age: 25-34", "age: 00" + DIGITS)  # a profile value: free keys
    listed = run("personas", "-w", str(root), "-f", "json")
    assert listed.exit_code == 0, listed.stdout + listed.stderr
    assert '"age": 1000000000' in listed.stdout
    (root / SMS_RULES).write_text(
        "extends: sms\ntemplate: '{{ persona.profile.age + 1 }} STOP au 36111'\n", "utf-8"
    )
    result = run("lint", "-w", str(root), "-f", "concise", cwd=root)
    assert "internal error" not in result.stderr
    assert result.exit_code == 1
    assert f"{SMS_RULES}:2:11: error T103 template: refused: a number this large" in result.stdout
