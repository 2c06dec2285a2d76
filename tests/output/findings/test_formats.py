"""The output formats of `mcplan lint`: a golden file per format, then what CI systems need."""

from __future__ import annotations

import functools
import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from rich.cells import cell_len
from rich.console import Console

from conftest import Golden
from mcplan.findings import Finding, Level, Location, Related, Subject
from mcplan.lint.engine import LintResult
from mcplan.lint.registry import RULES
from mcplan.output import as_text, show
from mcplan.output.findings import EMITTERS, NAMES, github
from mcplan.workspace.reading import SourceLines

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SCHEMA = HERE / "data" / "sarif-schema-2.1.0.json"

CAMPAIGN = "campaigns/soldes-hiver.yaml"
PERSONA = "personas/marie.yaml"
SOURCES = {
    CAMPAIGN: """
        brand: Maison Lumen
        message:
          headline: Les soldes -20 % sont là
          starts: 2027-13-01
          ends: 2027-02-09
        touches:
          - {channel: sms, day: 3}
          - {channel: email, day: 3}
    """,
    PERSONA: """
        market: b2c
        note: "Bienvenue 🎉 chez nous"
    """,
}
# Every file linted, including one with no finding (a passing JUnit suite).
FILES = [CAMPAIGN, PERSONA, "personas/paul.yaml"]

FINDINGS = [
    Finding(
        Location(CAMPAIGN, 2, 1, 2, 8),
        "M101",
        Level.ERROR,
        "Taux: 20%, pas 25% comme le message\nvoir la ligne 3",
        hint="write -20 % as in the core message",
    ),
    Finding(
        Location(CAMPAIGN, 4, 11, 4, 21),
        "S203",
        Level.ERROR,
        "starts is not a date: month 13",
        hint="write dates as YYYY-MM-DD",
    ),
    Finding(
        Location(CAMPAIGN, 7, 5, 8, 30),
        "P104",
        Level.WARNING,
        "2 touches to marie on day 3",
        related=(Related(Location(CAMPAIGN, 6, 5, 6, 30), "sms Wed 03 Mar 10:00 (soldes-hiver)"),),
        subject=Subject(campaign="soldes-hiver", channel="email", persona="marie"),
    ),
    Finding(Location(PERSONA, 2, 20, 2, 24), "L104", Level.INFO, "[note] cut after 12 cells"),
    Finding(Location(PERSONA, 9, 1), "S202", Level.ERROR, "missing key | size", hint="add size:"),
    Finding(
        Location("<bundled>/sms.yaml", 3, 7, 3, 12),
        "X101",
        Level.WARNING,
        "`# mcplan: disable=L101` suppresses nothing",
    ),
    Finding(Location("campaigns/été 2027.yaml", 1, 1), "S104", Level.ERROR, "the file is empty"),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, content in SOURCES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return tmp_path


def result(findings: Sequence[Finding], root: Path, files: Sequence[str] = FILES) -> LintResult:
    return LintResult(list(findings), list(files), SourceLines(root))


def emitted(fmt: str, findings: Sequence[Finding], root: Path, files: Sequence[str] = FILES) -> str:
    return as_text(EMITTERS[fmt](result(findings, root, files)))


def plain_text(findings: Sequence[Finding], root: Path) -> str:
    return emitted("text", findings, root)


# Absolute paths never reach a golden file.
OUTPUTS: dict[str, Callable[[Sequence[Finding], Path], str]] = {
    **{name: functools.partial(emitted, name) for name in NAMES},
    "step_summary": lambda findings, root: github.step_summary(result(findings, root)),
}


def test_every_format_module_is_a_format_with_a_golden_output() -> None:
    assert {"text", "concise", "json", "github", "sarif", "junit"} <= set(NAMES)
    assert {p.stem for p in GOLDEN.glob("*.txt")} == set(OUTPUTS)


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_output_is_exactly_the_golden_file(fmt: str, root: Path, golden: Golden) -> None:
    output = OUTPUTS[fmt](FINDINGS, root)
    golden(GOLDEN / f"{fmt}.txt", output)


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_output_is_deterministic(fmt: str, root: Path) -> None:
    assert OUTPUTS[fmt](FINDINGS, root) == OUTPUTS[fmt](tuple(FINDINGS), root)


# -- text --------------------------------------------------------------------------------------


def test_text_underlines_the_span_under_the_source_line(root: Path) -> None:
    lines = plain_text([FINDINGS[1]], root).splitlines()
    assert lines == [
        CAMPAIGN,
        "  4:11 error S203 starts is not a date: month 13",
        "    4 │   starts: 2027-13-01",
        "      │           ^^^^^^^^^^",
        "    hint: write dates as YYYY-MM-DD",
    ]


def test_text_carets_count_cells_after_a_wide_character(root: Path) -> None:
    source, carets = plain_text([FINDINGS[3]], root).splitlines()[2:4]
    assert cell_len(source[: source.index("chez")]) == carets.index("^")
    assert carets.endswith("^^^^")


def test_text_reads_crlf_tabs_and_bad_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"a: 1\r\nb:\t\xff2\r\n")
    finding = Finding(Location("a.yaml", 2, 4, 2, 5), "S102", Level.ERROR, "not UTF-8")
    assert plain_text([finding], tmp_path).splitlines()[2:] == [
        "    2 │ b: \ufffd2",
        "      │    ^",
    ]


def test_text_without_source_shows_no_snippet(root: Path) -> None:
    bundled, missing_line = FINDINGS[5], FINDINGS[4]
    assert "│" not in plain_text([bundled, missing_line], root)


def test_text_is_coloured_on_a_terminal_only(root: Path) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system="standard")
    show(EMITTERS["text"](result(FINDINGS, root)), console)
    assert "\x1b[" in buffer.getvalue()
    assert "\x1b[" not in plain_text(FINDINGS, root)


@pytest.mark.parametrize("at", [0, 70, 500, -1])
def test_text_cuts_a_long_line_around_the_finding_with_the_carets_under_it(
    tmp_path: Path, at: int
) -> None:
    ids = ["marie"] * 1000
    ids[at] = "zoé-小"  # wide characters and a control character: the carets still align
    ids[at - 1 if at else 1] = "\x1b[2J"
    line = "personas: [" + ", ".join(ids) + "]"
    (tmp_path / CAMPAIGN).parent.mkdir(parents=True)
    (tmp_path / CAMPAIGN).write_text(f"brand: x\n{line}\n", encoding="utf-8")
    column = line.index("zoé") + 1
    finding = Finding(Location(CAMPAIGN, 2, column, 2, column + 5), "S301", Level.ERROR, "?")
    source, carets = plain_text([finding], tmp_path).splitlines()[2:4]
    assert len(source) <= len("    2 │ ") + 2 + 120 + 5  # the escape is 6 characters for 1
    assert source.startswith("    2 │ …" if at else "    2 │ personas: [")
    assert source.endswith("…" if at != -1 else "zoé-小]")
    assert "\x1b" not in source
    assert carets.index("^") == cell_len(source[: source.index("zoé")])
    assert carets.endswith("│ " + " " * (carets.index("^") - 8) + "^^^^^^")


def test_text_shows_related_locations_under_the_finding(root: Path) -> None:
    lines = plain_text([FINDINGS[2]], root).splitlines()
    assert f"    = {CAMPAIGN}:6:5: sms Wed 03 Mar 10:00 (soldes-hiver)" in lines


# -- concise and JSON --------------------------------------------------------------------------


def test_concise_is_one_str_per_finding() -> None:
    assert emitted("concise", FINDINGS[1:2], Path()) == (
        f"{CAMPAIGN}:4:11: error S203 starts is not a date: month 13\n"
    )
    assert emitted("concise", FINDINGS, Path()) == "".join(f"{f}\n" for f in FINDINGS)


def test_json_round_trips() -> None:
    data = json.loads(emitted("json", FINDINGS, Path()))
    assert data == [f.to_dict() for f in FINDINGS]

    def place(d: dict[str, Any]) -> Location:
        return Location(d["file"], d["line"], d["column"], d["end_line"], d["end_column"])

    rebuilt = [
        Finding(
            place(d),
            d["rule"],
            Level.named(d["level"]),
            d["message"],
            hint=d["hint"],
            related=tuple(Related(place(r), r["label"]) for r in d["related"]),
            subject=Subject(**d["subject"]),
        )
        for d in data
    ]
    assert [f.to_dict() for f in rebuilt] == data


# -- GitHub workflow commands ------------------------------------------------------------------


def test_github_escapes_data_and_properties() -> None:
    finding = Finding(
        Location("dir,a/b:c%.yaml", 3, 2, 4, 5),
        "M101",
        Level.WARNING,
        "50%: a, b\r\nc",
        hint="x: y",
    )
    assert emitted("github", [finding], Path()) == (
        "::warning file=dir%2Ca/b%3Ac%25.yaml,line=3,endLine=4,col=2,endColumn=5,"
        "title=mcplan (M101)::50%25: a, b%0D%0Ac — x: y\n"
    )


def test_github_maps_levels_and_fills_the_end() -> None:
    lines = emitted(
        "github",
        [
            Finding(Location("a.yaml", 1, 2), "S101", Level.ERROR, "bad"),
            Finding(Location("a.yaml", 1, 2), "L104", Level.INFO, "long"),
        ],
        Path(),
    ).splitlines()
    assert lines == [
        "::error file=a.yaml,line=1,endLine=1,col=2,endColumn=2,title=mcplan (S101)::bad",
        "::notice file=a.yaml,line=1,endLine=1,col=2,endColumn=2,title=mcplan (L104)::long",
    ]


# -- SARIF -------------------------------------------------------------------------------------


def sarif_errors(log: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "empty"])
def test_sarif_is_valid_against_the_schema(findings: list[Finding]) -> None:
    assert sarif_errors(json.loads(emitted("sarif", findings, Path()))) == []


def test_sarif_meets_github_code_scanning_requirements() -> None:
    log = json.loads(emitted("sarif", FINDINGS, Path()))
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["helpUri"].endswith(f"docs/rules.md#{rule['id'].lower()}-{rule['name']}")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == len(FINDINGS)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        assert result["level"] in ("error", "warning", "note")
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["region"]["startLine"] >= 1
        assert physical["region"]["startColumn"] >= 1
        uri = physical["artifactLocation"]["uri"]
        assert not re.search(r"[\s\\<>]", uri)
        assert not uri.startswith(("/", "file:"))
        assert re.fullmatch("[0-9a-f]{32}:[0-9]+", result["partialFingerprints"]["mcplan/v2"])
    assert "originalUriBaseIds" not in run


def test_sarif_locations_hints_and_bundled_files() -> None:
    results = json.loads(emitted("sarif", FINDINGS, Path()))["runs"][0]["results"]
    by_rule = {result["ruleId"]: result for result in results}
    levels = {result["ruleId"]: result["level"] for result in results}
    assert levels["S203"] == "error"
    assert levels["P104"] == "warning"
    assert levels["L104"] == "note"
    assert by_rule["S203"]["message"]["text"] == (
        "starts is not a date: month 13 — write dates as YYYY-MM-DD"
    )
    artifact = by_rule["S104"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "campaigns/%C3%A9t%C3%A9%202027.yaml", "uriBaseId": "%SRCROOT%"}
    bundled = by_rule["X101"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert bundled == {"uri": "mcplan-bundled/sms.yaml", "uriBaseId": "MCPLAN_BUNDLED"}
    region = by_rule["P104"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 7, "startColumn": 5, "endLine": 8, "endColumn": 30}
    # No end given: the region runs to the end of the line rather than being empty.
    point = by_rule["S202"]["locations"][0]["physicalLocation"]["region"]
    assert point == {"startLine": 9, "startColumn": 1, "endLine": 9}
    [related] = by_rule["P104"]["relatedLocations"]
    assert related["message"] == {"text": "sms Wed 03 Mar 10:00 (soldes-hiver)"}
    assert related["physicalLocation"]["region"]["startLine"] == 6


def test_sarif_fingerprint_survives_lines_inserted_above(root: Path) -> None:
    finding = FINDINGS[1]
    before = finding.identity(SourceLines(root)).fingerprint
    campaign = root / CAMPAIGN
    campaign.write_text("# a comment\n\n" + campaign.read_text("utf-8"), encoding="utf-8")
    moved = Finding(Location(CAMPAIGN, 6, 11), "S203", Level.ERROR, "another message")
    assert moved.identity(SourceLines(root)).fingerprint == before


def test_sarif_fingerprint_tells_rules_subjects_and_lines_apart(root: Path) -> None:
    lines = SourceLines(root)
    finding = FINDINGS[2]
    other_line = Finding(Location(CAMPAIGN, 8, 5), "P104", Level.WARNING, finding.message)
    other_rule = Finding(finding.location, "P101", Level.ERROR, finding.message)
    other_persona = Finding(
        finding.location, "P104", Level.WARNING, finding.message, subject=Subject(persona="paul")
    )
    prints = {
        f.identity(lines).fingerprint for f in (finding, other_line, other_rule, other_persona)
    }
    assert len(prints) == 4


def test_sarif_fingerprints_are_unique_in_a_run(root: Path) -> None:
    twice = [FINDINGS[2], FINDINGS[2]]
    results = json.loads(emitted("sarif", twice, root))["runs"][0]["results"]
    assert len({r["partialFingerprints"]["mcplan/v2"] for r in results}) == 2


# -- JUnit -------------------------------------------------------------------------------------


def test_junit_has_a_suite_per_file_with_its_failures() -> None:
    output = emitted("junit", FINDINGS, Path())
    assert output.startswith("<?xml version='1.0' encoding='utf-8'?>\n")
    suites = ET.fromstring(output.encode("utf-8"))
    assert suites.tag == "testsuites"
    by_name = {suite.get("name"): suite for suite in suites}
    assert set(by_name) == {*FILES, "<bundled>/sms.yaml", "campaigns/été 2027.yaml"}
    counts = {name: (s.get("tests"), s.get("failures")) for name, s in by_name.items()}
    assert counts == {  # errors fail; warnings, below the default fail level, pass
        CAMPAIGN: ("3", "2"),
        PERSONA: ("2", "1"),
        "personas/paul.yaml": ("1", "0"),
        "<bundled>/sms.yaml": ("1", "0"),
        "campaigns/été 2027.yaml": ("1", "1"),
    }
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("8", "4", "0")
    [passing] = by_name["personas/paul.yaml"]
    assert passing.get("name") == "mcplan lint"
    assert list(passing) == []


def test_junit_testcases_carry_level_message_and_hint() -> None:
    suites = ET.fromstring(emitted("junit", FINDINGS, Path()).encode("utf-8"))
    cases = {case.get("name"): case for case in suites.iter("testcase")}
    failure = cases["M101 line 2"].find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert failure.get("message") == FINDINGS[0].message  # newline kept through the attribute
    assert failure.text is not None
    assert failure.text.endswith("hint: write -20 % as in the core message")
    info = cases["L104 line 2"]
    assert info.find("failure") is None
    out = info.find("system-out")
    assert out is not None
    assert out.text == str(FINDINGS[3])
    assert cases["L104 line 2"].get("classname") == PERSONA


def test_junit_survives_control_characters() -> None:
    finding = Finding(Location("a.yaml"), "T104", Level.ERROR, "bad \x00 byte \x1b")
    junit = emitted("junit", [finding], Path(), files=[])
    failure = ET.fromstring(junit.encode("utf-8")).find(".//failure")
    assert failure is not None
    assert failure.get("message") == "bad \ufffd byte \ufffd"


def test_junit_has_no_run_dependent_attributes() -> None:
    output = emitted("junit", FINDINGS, Path())
    for attribute in ("timestamp", "time", "hostname"):
        assert f" {attribute}=" not in output
    assert output == emitted("junit", FINDINGS, Path(), files=list(reversed(FILES)))


# -- GitHub step summary -----------------------------------------------------------------------


def test_step_summary_lists_every_finding_beyond_the_annotation_limit() -> None:
    many = [Finding(Location("a.yaml", n), "P104", Level.WARNING, "same day") for n in range(1, 16)]
    text = github.step_summary(result(many, Path()))
    table = [line for line in text.splitlines() if line.startswith("| warning")]
    assert len(table) == 15


def test_step_summary_escapes_cells() -> None:
    text = github.step_summary(result(FINDINGS, Path()))
    assert text.startswith("## mcplan lint: 4 errors, 2 warnings and 1 info in 4 files\n")
    assert "| error | S202 | personas/marie.yaml:9:1 | missing key \\| size — add size: |" in text
    assert "&lt;bundled&gt;/sms.yaml:3:7" in text
    assert "comme le message<br>voir la ligne 3" in text


# -- empty and dispatch ------------------------------------------------------------------------


def test_no_findings_give_valid_empty_outputs(root: Path) -> None:
    assert emitted("concise", [], root) == ""
    assert plain_text([], root) == ""
    assert json.loads(emitted("json", [], root)) == []
    assert emitted("github", [], root) == ""
    assert json.loads(emitted("sarif", [], root))["runs"][0]["results"] == []
    assert github.step_summary(result([], root)) == "## mcplan lint\n\nNo findings.\n"
    suites = ET.fromstring(emitted("junit", [], root).encode("utf-8"))
    assert [s.get("name") for s in suites] == sorted(FILES)
    assert all(s.get("failures") == "0" and s.get("tests") == "1" for s in suites)
    assert (suites.get("tests"), suites.get("failures")) == ("3", "0")
