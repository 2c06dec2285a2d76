"""Every problem in one run, none invented (issue 27, item 7).

`tests/workspaces/waves/planted/` is a UK B2B software firm (en-GB, GBP) whose settings have a
line that is not TOML, one persona a size written `30,000`, and two persona files the same id:
each is reported at its line, and so are the touches outside their campaign's dates that go
to those personas, with no finding about what could not be read (no E101/E102 for an
`[email]` table that is there).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import WORKSPACES, planted
from mcplan import lint, load_workspace

WAVES = WORKSPACES / "waves" / "planted"

SETTINGS = """\
brand = "Ledgerly"
locale = "en-GB"
timezone = "Europe/London"
currency = "GBP"

[email]
sender = "Ledgerly <news@ledgerly.co.uk>"
unsubscribe_url = "{{ unsubscribe }}"
"""
PERSONA = """\
name: Finance directors
market: b2b
size: 30000
stage: acquisition
channels:
  email: {reach: 0.7, affinity: 0.5, consent: opt_in}
country: GB-ENG
"""
CAMPAIGN = """\
name: Making Tax Digital webinar
objectives:
  - {kind: sales}
personas: [finance-directors]
message:
  headline: Making Tax Digital, explained in 45 minutes
  body: "Join our free webinar: what changes in April and how to get ready."
  starts: 2027-03-02
  ends: 2027-03-18
  url: https://ledgerly.co.uk/webinar
  cta: Save your seat
touches:
  - {channel: email, at: 2027-03-02T09:00}
"""
EMAIL_COSTS = "extends: email\ncost_per_contact: 0.002\nfixed_cost: 250.0\n"


def _found(root: Path) -> set[tuple[str, int, str]]:
    findings = lint(load_workspace(root, discover=False)).findings
    return {(f.location.file, f.location.line, f.rule) for f in findings}


def test_every_planted_problem_is_reported_at_its_line_in_one_run() -> None:
    assert _found(WAVES) == planted(WAVES)


def test_the_cli_reports_them_all_and_says_the_settings_file_is_unreadable(run: Callable) -> None:
    result = run("lint", "-w", str(WAVES), "-f", "json")
    assert result.exit_code == 2  # a line of mcplan.toml could not be read
    codes = sorted(f["rule"] for f in json.loads(result.stdout))
    assert codes == ["S101", "S203", "S203", "S302", "S302", "S304", "S304", "S304"]


def test_a_touch_to_a_persona_that_did_not_load_is_still_checked_against_the_dates() -> None:
    findings = lint(load_workspace(WAVES, discover=False)).findings
    outside = [f.message for f in findings if f.rule == "S304"]
    assert outside[:2] == [
        "touches[1].at: 2027-03-23T09:00 is outside the campaign's dates (2027-03-02 to "
        "2027-03-18) for persona 'finance-directors'",
        "touches[2].at: 2027-03-24T10:00 is outside the campaign's dates (2027-03-02 to "
        "2027-03-18) for persona 'it-managers'",
    ]


def test_the_twin_with_each_problem_fixed_has_no_finding(tmp_path: Path) -> None:
    root = tmp_path / "ledgerly"
    shutil.copytree(WAVES, root)

    def fix(name: str, old: str, new: str) -> None:
        path = root / name
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")

    fix("mcplan.toml", "timezone = Europe/London", 'timezone = "Europe/London"')
    fix("personas/finance-directors.yaml", "size: 30,000", "size: 30000")
    (root / "personas" / "it-managers-2026.yaml").unlink()
    fix("campaigns/mtd-webinar.yaml", "2027-03-23T09:00", "2027-03-16T09:00")
    fix("campaigns/mtd-webinar.yaml", "2027-03-24T10:00", "2027-03-17T10:00")
    fix("campaigns/year-end.yaml", "2027-04-01T09:00", "2027-04-07T09:00")
    assert lint(load_workspace(root, discover=False)).findings == []


def _workspace(make_workspace: Callable, settings: str, **more: str) -> Path:
    return make_workspace(
        {
            "mcplan.toml": settings,
            "personas/finance-directors.yaml": PERSONA,
            "campaigns/mtd-webinar.yaml": CAMPAIGN,
            "channel_rules/email.yaml": EMAIL_COSTS,
            **more,
        }
    )


def _codes(root: Path) -> list[tuple[int, str]]:
    findings = lint(load_workspace(root, discover=False)).findings
    return [(f.location.line, f.rule) for f in findings if f.location.file == "mcplan.toml"] + [
        (0, f.rule) for f in findings if f.location.file != "mcplan.toml"
    ]


def test_the_twin_settings_are_clean(make_workspace: Callable) -> None:
    assert _codes(_workspace(make_workspace, SETTINGS)) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A value that is not TOML: that key is lost, not the table below it.
        ('brand = "Ledgerly"', 'brand = "Ledgerly', [(1, "S101")]),
        # In [email] itself: its sender is not known, so it is not said to be missing.
        ('sender = "Ledgerly <news@ledgerly.co.uk>"', "sender = Ledgerly <news@ledgerly.co.uk>",
         [(7, "S101")]),
        ('unsubscribe_url = "{{ unsubscribe }}"', "unsubscribe_url = {{ unsubscribe }}",
         [(8, "S101")]),
        # A key without `=`, and two broken lines: each is a finding at its line.
        ('currency = "GBP"', 'currency "GBP"', [(4, "S101")]),
        ('timezone = "Europe/London"\ncurrency = "GBP"', "timezone = Europe/London\ncurrency = GB",
         [(3, "S101"), (4, "S101")]),
        # A broken header: the table is lost with its keys, which do not land in the table
        # before it (no unknown `sender` at the top), and E101/E102 say nothing of it.
        ("[email]", "[email", [(6, "S101")]),
        # A value that is TOML but not valid: reported, and not said to be missing either.
        ('sender = "Ledgerly <news@ledgerly.co.uk>"', 'sender = "Ledgerly"', [(7, "S203")]),
        ('unsubscribe_url = "{{ unsubscribe }}"', 'unsubscribe_url = "javascript:alert(1)"',
         [(8, "S203")]),
    ],
    ids=["brand", "sender", "unsubscribe", "no-equals", "two-lines", "header", "bad-sender",
         "bad-link"],
)  # fmt: skip
def test_a_broken_settings_file_loses_only_what_is_broken(
    make_workspace: Callable, old: str, new: str, expected: list[tuple[int, str]]
) -> None:
    assert old in SETTINGS
    root = _workspace(make_workspace, SETTINGS.replace(old, new))
    assert _codes(root) == expected


def test_what_is_read_of_a_broken_settings_file_applies(make_workspace: Callable) -> None:
    """The locale, time zone and currency after a broken line are the file's, not the
    defaults (fr-FR, Europe/Paris, EUR, which would bring findings of their own)."""
    root = _workspace(make_workspace, 'brand = "Ledgerly\n' + SETTINGS.split("\n", 1)[1])
    workspace = load_workspace(root, discover=False)
    settings = workspace.settings
    assert (settings.locale, settings.timezone, settings.currency) == (
        "en-GB", "Europe/London", "GBP",
    )  # fmt: skip
    assert settings.email.sender == "Ledgerly <news@ledgerly.co.uk>"
    [finding] = workspace.findings
    assert (finding.location.line, finding.location.column) == (1, 18)


def test_with_the_unsubscribe_link_not_written_e101_is_still_reported(
    make_workspace: Callable,
) -> None:
    """Only what could not be read is kept quiet: a key that is not written at all is
    reported as before, in a file broken elsewhere."""
    settings = SETTINGS.replace('unsubscribe_url = "{{ unsubscribe }}"\n', "").replace(
        'brand = "Ledgerly"', 'brand = "Ledgerly'
    )
    assert _codes(_workspace(make_workspace, settings)) == [(1, "S101"), (6, "E101")]


def test_a_settings_file_broken_beyond_repair_is_one_finding(make_workspace: Callable) -> None:
    """A key written twice does not read even line by line: the file is one finding, as
    tomllib says it, and nothing that depends on it is said to be missing."""
    broken = 'locale = "en-GB"\nlocale = "en-IE"\ncurrency = GB'
    root = _workspace(make_workspace, SETTINGS.replace('locale = "en-GB"', broken))
    assert _codes(root) == [(3, "S101")]


def test_a_file_of_broken_lines_is_given_up_after_a_few(make_workspace: Callable) -> None:
    lines = "".join(f"key{i} = not toml\n" for i in range(5000))
    root = _workspace(make_workspace, SETTINGS + lines)
    codes = _codes(root)
    assert codes == [(9 + i, "S101") for i in range(10)]


def test_a_duplicate_persona_file_has_its_own_problems_reported(make_workspace: Callable) -> None:
    root = _workspace(
        make_workspace,
        SETTINGS,
        **{"personas/finance-2026.yaml": "id: finance-directors\n" + PERSONA.replace(
            "size: 30000", "size: 30,000").replace("market: b2b", "market: b2x")},
    )  # fmt: skip
    found = sorted(
        (f.location.file, f.location.line, f.rule)
        for f in lint(load_workspace(root, discover=False)).findings
    )
    assert found == [
        ("personas/finance-2026.yaml", 1, "S302"),
        ("personas/finance-2026.yaml", 3, "S203"),
        ("personas/finance-2026.yaml", 4, "S203"),
        ("personas/finance-directors.yaml", 1, "S302"),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('locale = "en-GB"', "locale = en-GB"),
        ('locale = "en-GB"', 'locale = "en-GB'),
        ('locale = "en-GB"', "locale = en-GB'"),
    ],
    ids=["unquoted", "open-quote", "wrong-quote"],
)
def test_a_word_without_its_quotes_is_reported_and_read_as_meant(
    make_workspace: Callable, old: str, new: str
) -> None:
    """With its locale lost, a UK workspace was checked as a French one (fr-FR, French law):
    a call at 09:30 broke France's calling hours (C101). The line is an S101, and the rest is
    checked as the file meant."""
    persona = PERSONA.replace("country: GB-ENG\n", "").replace(
        "channels:\n", "channels:\n  phone: {reach: 0.4, affinity: 0.3, consent: opt_in}\n"
    )
    campaign = CAMPAIGN.replace(
        "touches:\n", "touches:\n  - {channel: phone, at: 2027-03-03T09:30}\n"
    )
    root = _workspace(
        make_workspace,
        SETTINGS.replace(old, new),
        **{"personas/finance-directors.yaml": persona, "campaigns/mtd-webinar.yaml": campaign},
    )
    # S313: the locale read as meant, England's bank holidays are assumed (and said).
    assert sorted(_codes(root)) == [(2, "S101"), (2, "S313")]
    workspace = load_workspace(root, discover=False)
    assert workspace.settings.locale == "en-GB"
    assert workspace.personas["finance-directors"].country == "GB"


@pytest.mark.parametrize(
    ("at", "outside"),
    [("2027-03-23T09:00Z", True), ("2027-03-01T09:00+01:00", True),
     ("2027-03-19T01:00+00:00", False), ("2027-03-23T09:00", True)],
)  # fmt: skip
def test_a_touch_with_an_offset_to_a_persona_with_errors_is_checked_in_every_zone(
    make_workspace: Callable, at: str, outside: bool
) -> None:
    """A persona two files define has no known time zone: a moment outside the dates
    wherever it is read is an S304; one that is the 18th somewhere (UTC-12) is not said to
    be outside."""
    campaign = CAMPAIGN.replace(
        "2027-03-02T09:00}", f"2027-03-02T09:00}}\n  - {{channel: email, at: {at}}}"
    )
    root = _workspace(
        make_workspace,
        SETTINGS,
        **{
            "campaigns/mtd-webinar.yaml": campaign,
            "personas/finance-2026.yaml": "id: finance-directors\n" + PERSONA,
        },
    )
    codes = sorted(rule for _, rule in _codes(root))
    assert codes == (["S302", "S302", "S304"] if outside else ["S302", "S302"])
