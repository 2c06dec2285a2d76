"""Hostile or broken inputs beside the workspace files (a layout the write-back cannot read, a
baseline that is not one, an output folder that cannot be written): a clear message and exit
2, or a note, never a crash."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, french

CAMPAIGN = "campaigns/retour-printemps-2027.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("tests", "src", ".*", "benchmarks"))
    return copy


def test_a_layout_the_write_back_cannot_read_changes_nothing(run: Callable, root: Path) -> None:
    path = root / CAMPAIGN
    text = (
        path.read_text("utf-8")
        .split("\nchannels:")[0]
        .replace("max_channels: 3", "max_channels: 3\t# a tab")
    )
    path.write_text(text, encoding="utf-8")
    result = run("plan", "-w", str(root), "--write")
    assert result.exit_code == 2
    assert "its layout cannot be read at line" in result.stderr
    assert "write spaces there, not tabs, and nothing is changed" in result.stderr
    assert path.read_text("utf-8") == text


def test_an_alias_as_a_key_is_refused_at_its_line(run: Callable, root: Path) -> None:
    with (root / "personas/lea-etudiante.yaml").open("a", encoding="utf-8") as handle:
        handle.write("x: &k a\n*k : 1\n")
    result = run("validate", "-w", str(root), "-f", "concise")
    assert result.exit_code == 2
    assert ":19:1: error S107 an alias (*k) as a mapping key is not supported" in result.stdout


def test_a_line_break_in_a_subject_stays_out_of_the_headers(
    run: Callable, root: Path, tmp_path: Path
) -> None:
    path = root / "campaigns/soldes-hiver-2027.yaml"
    line = '  headline: "Soldes\\u2028\\x85d\'hiver"'  # YAML escapes: U+2028, U+0085
    text = re.sub(r"(?m)^  headline: .*$", lambda _: line, path.read_text("utf-8"))
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", "soldes-hiver-2027", "-w", str(root), "--out", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    [eml] = out.glob("*.eml")
    headers = eml.read_bytes().split(b"\n\n")[0].decode()
    [subject] = [h for h in headers.splitlines() if h.startswith("Subject:")]
    assert "Soldes" in subject


def test_settings_nested_too_deep_are_one_finding(run: Callable, root: Path) -> None:
    with (root / "mcplan.toml").open("a", encoding="utf-8") as handle:
        handle.write("x = " + "[" * 2000 + "]" * 2000 + "\n")
    result = run("validate", "-w", str(root), "-f", "concise")
    assert result.exit_code == 2
    assert "mcplan.toml:1:1: error S105 values are nested too deep to be read" in result.stdout


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "JSON nested too deep"),
        (lambda p: p.write_text('"x"'), "is not an mcplan baseline"),
        (lambda p: os.mkfifo(p), "a FIFO, not a regular file: it is not read"),
        (lambda p: p.symlink_to("/dev/zero"), "a link that leads out of its folder"),
    ],
    ids=["deep", "not-a-baseline", "fifo", "dev-zero"],
)
def test_a_baseline_that_is_not_one_is_a_usage_error(
    run: Callable, root: Path, tmp_path: Path, make: Callable, says: str
) -> None:
    baseline = tmp_path / "baseline.json"
    make(baseline)
    result = run("lint", "-w", str(root), "--baseline", str(baseline))
    assert result.exit_code == 2
    assert says in result.stderr


def test_outputs_that_cannot_be_written_are_usage_errors(
    run: Callable, root: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    result = run("render", "soldes-hiver-2027", "-w", str(root), "--out", str(blocked / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"mcplan: error: cannot write into {blocked / 'out'}: ")
    result = run("plan", "-w", str(root), "--ics", str(blocked / "plan.ics"))
    assert result.exit_code == 2
    assert f"cannot write {blocked / 'plan.ics'}" in result.stderr


def test_a_step_summary_that_cannot_be_written_is_a_note(
    run: Callable, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    result = run("lint", "-w", str(root), "-f", "concise")
    assert result.exit_code == 0
    assert "cannot write the step summary" in result.stderr


def test_two_versions_for_one_file_name_write_nothing(
    run: Callable, root: Path, tmp_path: Path
) -> None:
    # A channel 'sms--marie-citadine', and the SMS written for the persona marie-citadine.
    (root / "channel_rules/sms--marie-citadine.yaml").write_text("extends: sms\n", "utf-8")
    path = root / "campaigns/soldes-hiver-2027.yaml"
    text = path.read_text("utf-8").replace(
        "channels: [email, sms, instagram]",
        "channels: [email, sms, instagram, sms--marie-citadine]",
    )
    text += "templates:\n  sms: '{{ persona.name }} : {{ m.headline }} STOP au 36111'\n"
    path.write_text(text, encoding="utf-8")
    with (root / "personas/marie-citadine.yaml").open("a", encoding="utf-8") as handle:
        handle.write("")
    out = tmp_path / "out"
    result = run("render", "soldes-hiver-2027", "-w", str(root), "--out", str(out))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "two versions would be written to sms--marie-citadine.txt; nothing is" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_pattern_that_would_backtrack_runs_in_linear_time(run: Callable, root: Path) -> None:
    # With Python's re, '(a+)+$' on this SMS took 92 s of CPU, and doubled with each letter.
    (root / "channel_rules/sms.yaml").write_text(
        "extends: sms\nmust_contain:\n  - {pattern: '(a+)+$', why: a test}\n", "utf-8"
    )
    path = root / "campaigns/soldes-hiver-2027.yaml"
    path.write_text(
        path.read_text("utf-8") + "variants:\n  sms: " + "a" * 30 + "!\n", encoding="utf-8"
    )
    result = run("lint", "-w", str(root), "-f", "concise")
    assert "missing the mandatory mention /(a+)+$/" in result.stdout


def test_a_pattern_re2_cannot_run_is_refused_at_its_line(run: Callable, root: Path) -> None:
    (root / "channel_rules/sms.yaml").write_text(
        "extends: sms\nmust_contain:\n  - {pattern: '(?<=STOP) au', why: a test}\n", "utf-8"
    )
    result = run("validate", "-w", str(root), "-f", "concise")
    assert result.exit_code == 1
    assert (
        "channel_rules/sms.yaml:3:15: error S203 must_contain[0].pattern: not a regular "
        "expression mcplan runs (invalid perl operator: (?<=): lookarounds and backreferences "
        "are not supported"
    ) in result.stdout
    assert "re2.cc" not in result.stderr  # RE2's own log lines stay quiet


def test_a_list_of_thousands_of_unknown_ids_is_a_page_in_every_format(
    run: Callable, root: Path
) -> None:
    # The issue's `personas: [x, x, …]` of 20,000 entries printed its 60 kB line under each
    # finding: 1.8 GB of text.
    path = root / "campaigns/soldes-hiver-2027.yaml"
    many = "personas: [" + ", ".join(["x"] * 5_000) + "]"
    text = path.read_text("utf-8").replace("personas: [marie-citadine, claire-acheteuse-pme]", many)
    path.write_text(text, encoding="utf-8")
    more = french("and 4,900 more S301 findings in this file, not shown (at most 100 of a rule are")
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert more in result.stdout
    assert len(result.stdout) < 50_000
    assert max(len(line) for line in result.stdout.splitlines()) < 140
    for fmt in ("concise", "json", "sarif", "github", "junit"):
        result = run("lint", "-w", str(root), "-f", fmt)
        assert result.exit_code == 1, fmt
        assert more in result.stdout, fmt
        assert len(result.stdout) < 300_000, fmt
    assert french("errors in 1 file (4,900 more not shown)") in result.stderr


def test_findings_past_the_cap_are_counted_after_suppressions(run: Callable, root: Path) -> None:
    path = root / "campaigns/soldes-hiver-2027.yaml"
    listed = "personas:\n" + "  - x  # mcplan: disable=S301\n" * 60 + "  - y\n" * 150
    text = path.read_text("utf-8").replace(
        "personas: [marie-citadine, claire-acheteuse-pme]\n", listed
    )
    path.write_text(text, encoding="utf-8")
    result = run("lint", "-w", str(root), "-f", "json")
    unknown = [f for f in json.loads(result.stdout) if f["rule"] == "S301"]
    assert len(unknown) == 101
    assert unknown[-1]["line"] == 11 + 60 + 100  # where the first one not shown is
    assert unknown[-1]["message"].startswith("and 50 more S301 findings in this file")
    assert "(50 more not shown, 60 suppressed)" in result.stderr
    baseline = root / "baseline.json"
    assert run("lint", "-w", str(root), "--baseline", str(baseline)).exit_code == 0
    again = run("lint", "-w", str(root), "--baseline", str(baseline), "-f", "json")
    assert json.loads(again.stdout) == []  # the summary finding is recorded like the others
