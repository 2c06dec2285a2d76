"""The e-mail rules (E) beyond their planted workspace: what the settings decide is said once,
and each check's edges (languages, registrable domains, what does not shout)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PERSONA
from mcplan import load_workspace
from mcplan.findings import Finding
from mcplan.lint.engine import lint

Make = Callable[[dict[str, str | bytes]], Path]

SENDS = """
[email]
sender = "Brightwell <hello@brightwell.co.uk>"
unsubscribe_url = "https://esp.example/u/{{ contact.id }}"
"""


def _campaign(
    url: str = "https://brightwell.co.uk/spring", at: str = "2027-04-06", **message: str
) -> str:
    keys = "".join(f"\n  {key}: {value}" for key, value in message.items())
    return f"""
brand: Brightwell
personas: [amy]
locale: en-GB
message:
  headline: The spring sale
  starts: 2027-04-01
  ends: 2027-04-30
  url: {url}{keys}
touches:
  - {{channel: email, at: {at}T10:00}}
"""


AMY = PERSONA + "    locale: en-GB\n    timezone: Europe/London\n    country: GB-ENG\n"


def _lint(make: Make, files: dict[str, str | bytes]) -> list[Finding]:
    root = make({"personas/amy.yaml": AMY, **files})
    return [f for f in lint(load_workspace(root, discover=False)).findings if f.rule[0] == "E"]


def test_what_the_settings_lack_is_said_once_where_it_is_fixed(
    make_workspace: Make, run: Callable
) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'brand = "Brightwell"\n',
            "personas/amy.yaml": AMY,
            **{f"campaigns/c{n}.yaml": _campaign(at=f"2027-04-{6 + 7 * n:02}") for n in range(3)},
        }
    )
    result = run("lint", "-w", str(root), "--format", "json")
    assert result.exit_code == 1  # E101 is an error
    found = json.loads(result.stdout)
    assert [(f["rule"], f["file"], f["line"]) for f in found] == [
        ("E101", "mcplan.toml", 1),
        ("E102", "mcplan.toml", 1),
    ]
    assert found[0]["message"].startswith("3 campaigns send e-mail without an unsubscribe link")
    assert [r["file"] for r in found[0]["related"]] == [f"campaigns/c{n}.yaml" for n in range(3)]


def test_without_a_settings_file_it_is_said_at_the_campaign(make_workspace: Make) -> None:
    found = _lint(make_workspace, {"campaigns/spring.yaml": _campaign()})
    assert [(f.rule, f.location.file, f.location.line) for f in found] == [
        ("E101", "campaigns/spring.yaml", 10),
        ("E102", "campaigns/spring.yaml", 10),
    ]
    assert found[0].message.startswith("campaign 'spring' sends e-mail without")


def test_a_workspace_without_e_mail_has_no_e_mail_finding(make_workspace: Make) -> None:
    campaign = _campaign().replace("channel: email", "channel: sms")
    assert _lint(make_workspace, {"campaigns/spring.yaml": campaign}) == []


@pytest.mark.parametrize(
    ("link", "found"),
    [
        ("https://shop.brightwell.co.uk/spring", False),  # the same registrable domain
        ("https://www.brightwell.co.uk/", False),
        ("https://brightwell.com/spring", True),
        ("https://other.co.uk/brightwell", True),  # co.uk is a public suffix
        ("https://bit.ly/3xYz", True),
    ],
)
def test_links_are_compared_by_registrable_domain(
    make_workspace: Make, link: str, found: bool
) -> None:
    body = f"The spring sale: {link}\\n\\nUnsubscribe: https://esp.example/u/{{{{ contact.id }}}}"
    campaign = _campaign() + f'variants:\n  email: {{body: "{body}"}}\n'
    findings = _lint(make_workspace, {"mcplan.toml": SENDS, "campaigns/spring.yaml": campaign})
    assert [f.rule for f in findings] == (["E109"] if found else [])  # never the unsubscribe


@pytest.mark.parametrize(
    ("subject", "shouts"),
    [
        ("THE SPRING SALE IS ON", True),
        ("The spring sale: up to -50 %!!", True),
        ("Spring sale?!", False),
        ("The spring sale!", False),
        ("New at Brightwell: the TV range", False),  # one word in capitals
        ("BRIGHTWELL SPRING20: the sale", False),  # the brand and the code do not count
        ("¡Llegan las rebajas!", False),
    ],
)
def test_a_subject_shouts_in_capitals_or_with_several_exclamation_marks(
    make_workspace: Make, subject: str, shouts: bool
) -> None:
    campaign = _campaign(code="SPRING20") + f'variants:\n  email: {{subject: "{subject}"}}\n'
    findings = _lint(make_workspace, {"mcplan.toml": SENDS, "campaigns/spring.yaml": campaign})
    assert [f.rule for f in findings] == (["E106"] if shouts else [])
    assert all(f.location.line == 13 for f in findings)


@pytest.mark.parametrize(
    ("cta", "vague"),
    [
        ("Click here", True),
        ("Read more…", True),
        ("CLIQUEZ ICI !", True),
        ("Hier klicken", True),
        ("Klik hier", True),
        ("Haz clic aquí", True),
        ("Clicca qui", True),
        ("Shop the spring sale", False),
        ("Click here to shop the sale", False),  # says where it goes
    ],
)
def test_a_call_to_action_that_says_nothing_is_found_in_six_languages(
    make_workspace: Make, cta: str, vague: bool
) -> None:
    campaign = _campaign(cta=json.dumps(cta))
    findings = _lint(make_workspace, {"mcplan.toml": SENDS, "campaigns/spring.yaml": campaign})
    assert [(f.rule, f.location.line) for f in findings] == ([("E105", 9)] if vague else [])


def test_an_empty_text_part_is_found(make_workspace: Make) -> None:
    campaign = _campaign() + 'variants:\n  email: {subject: "The spring sale", body: ""}\n'
    findings = _lint(make_workspace, {"mcplan.toml": SENDS, "campaigns/spring.yaml": campaign})
    assert [(f.rule, f.message) for f in findings] == [("E103", "email: the text part is empty")]


def test_a_character_that_is_not_text_is_found_where_it_is_written(
    make_workspace: Make, run: Callable
) -> None:
    headline = json.dumps("The spring\x01 sale\ufffe")  # YAML reads JSON's escapes
    body = json.dumps(
        "The sale\x1b: https://brightwell.co.uk/spring\n\nUnsubscribe: {{ unsubscribe }}"
    )
    campaign = _campaign(headline=headline) + f"templates:\n  email:\n    body: {body}\n"
    campaign = campaign.replace("  headline: The spring sale\n", "")
    root = make_workspace(
        {"mcplan.toml": SENDS, "personas/amy.yaml": AMY, "campaigns/spring.yaml": campaign}
    )
    result = run("lint", "-w", str(root), "-f", "json")
    assert result.exit_code == 0  # warnings; the e-mail is sent without them
    found = [(f["rule"], f["line"], f["message"]) for f in json.loads(result.stdout)]
    assert found == [
        ("E110", 8, "message headline: U+0001 (a control character) and U+FFFE (a noncharacter) "
         "are not text (the HTML part leaves it out)"),
        ("E110", 13, "email body: U+001B (a control character) is not text (the HTML part "
         "leaves it out)"),
    ]  # fmt: skip


def test_a_link_that_does_not_parse_is_one_to_another_domain(
    make_workspace: Make, run: Callable
) -> None:
    body = "The spring sale: https://[::1 and https://brightwell.co.uk/spring"
    unsubscribe = "https://esp.example/u/{{ contact.id }}"
    campaign = (
        _campaign() + f'variants:\n  email: {{body: "{body}\\n\\nUnsubscribe: {unsubscribe}"}}\n'
    )
    root = make_workspace(
        {"mcplan.toml": SENDS, "personas/amy.yaml": AMY, "campaigns/spring.yaml": campaign}
    )
    result = run("lint", "-w", str(root), "-f", "concise")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "campaigns/spring.yaml:12:35: warning E109 email: link to "
        "https://[::1, not the campaign's domain (brightwell.co.uk)"
    ]


_LAYOUT = """<mjml>
  <mj-head>
    {head}
  </mj-head>
  <mj-body><mj-section background-url="https://brightwell.co.uk/bg.jpg"><mj-column>
    <mj-text>{body}<a href="{{{{ unsubscribe }}}}">{{{{ unsubscribe_label }}}}</a></mj-text>
  </mj-column></mj-section></mj-body>
</mjml>
"""


@pytest.mark.parametrize(
    ("head", "body", "line"),
    [
        ("<mj-style>@import url(https://fonts.example/serif.css);</mj-style>", "", 3),
        ("<mj-style>@IMPORT 'https://fonts.example/serif.css';</mj-style>", "", 3),
        ('<mj-font name="Lora" href="https://fonts.example/lora.css" />', "", 3),
        ('<mj-raw><link rel="stylesheet" href="//fonts.example/a.css" /></mj-raw>', "", 3),
        (
            "<mj-style>@media print { .x { background: url(https://t.example/p) } }</mj-style>",
            "",
            3,
        ),
        ("", "<p style=\"background-image:url( 'https://t.example/o.gif' )\">Hi</p>", 6),
        ("", '<p style="background:url({{ m.url }})">Hi</p>', 6),
        ("<mj-style>.x { background: url(data:image/gif;base64,R0lG) }</mj-style>", "", None),
        ("<mj-style>.x { fill: url(#gradient) }</mj-style>", "", None),
        ('<mj-attributes><mj-all font-family="Georgia, serif" /></mj-attributes>', "", None),
    ],
)
def test_what_the_layout_s_css_loads_from_elsewhere_is_found_at_its_line(
    make_workspace: Make, head: str, body: str, line: int | None
) -> None:
    settings = SENDS + 'layout = "email.mjml"\n'
    files = {
        "mcplan.toml": settings,
        "email.mjml": _LAYOUT.format(head=head, body=body),
        "campaigns/spring.yaml": _campaign(),
    }
    found = [(f.rule, f.location.line) for f in _lint(make_workspace, files)]
    assert found == ([("E111", line)] if line else [])
