"""A workspace's own e-mail layout (`[email] layout`): rendered in the sandbox with every value
escaped, read like every workspace file, and every problem a finding at its line."""

from __future__ import annotations

import email
import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from email.policy import default
from html import unescape
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PERSONA, ROOT, WORKSPACES
from mcplan import load_workspace
from mcplan.lint.engine import lint
from mcplan.output.eml import eml
from mcplan.render import render_campaign
from mcplan.render.email import html_email
from mcplan.render.templates import TemplateProblem
from mcplan.workspace import EmailLayout, Workspace

Make = Callable[[dict[str, str | bytes]], Path]

SETTINGS = """
brand = "Olivar"
locale = "es-ES"
timezone = "Europe/Madrid"

[email]
sender = "Olivar <hola@olivar.es>"
unsubscribe_url = "*|UNSUB|*"
layout = "plantillas/correo.mjml"
"""
LAYOUT = """<mjml lang="{{ lang }}">
  <mj-head><mj-title>{{ subject }}</mj-title></mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-text css-class="cabecera">{{ m.headline }}, hasta el {{ m.ends | date }}</mj-text>
{% for paragraph in paragraphs %}
      <mj-text>{{ paragraph.html }}</mj-text>
{% endfor %}
      <mj-text><a href="{{ unsubscribe }}">{{ unsubscribe_label }}</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""
CAMPAIGN = """
brand: Olivar
personas: [lucia]
message:
  headline: Rebajas <b>de verano</b> & más
  starts: 2027-07-01
  ends: 2027-07-31
  url: https://olivar.es/rebajas
touches:
  - {channel: email, at: 2027-07-06T10:00}
"""


@pytest.fixture
def make(make_workspace: Make) -> Make:
    return make_workspace


def _workspace(make: Make, layout: str | bytes = LAYOUT, **more: str | bytes) -> Workspace:
    files: dict[str, str | bytes] = {
        "mcplan.toml": SETTINGS,
        "personas/lucia.yaml": PERSONA,
        "campaigns/rebajas.yaml": CAMPAIGN,
        "plantillas/correo.mjml": layout,
        **more,
    }
    return load_workspace(make(files), discover=False)


def _html(workspace: Workspace) -> str:
    rendering = render_campaign(workspace, "rebajas")
    version = next(v for v in rendering.versions if v.channel == "email")
    return html_email(version, rendering.campaign, workspace)


def _found(workspace: Workspace) -> list[tuple[str, int, str]]:
    return [(f.location.file, f.location.line, f.rule) for f in lint(workspace).findings]


def test_the_layout_renders_every_value_escaped_in_the_reader_s_language(make: Make) -> None:
    workspace = _workspace(make)
    page = _html(workspace)
    document = html5lib.HTMLParser(strict=True).parse(page)
    assert '<html lang="es-ES"' in page
    assert "Rebajas &lt;b&gt;de verano&lt;/b&gt; &amp; más, hasta el 31 de julio de 2027" in page
    assert document.findall(".//{http://www.w3.org/1999/xhtml}b") == []  # text, not markup
    assert '<a href="*|UNSUB|*">Darse de baja</a>' in page
    assert _found(workspace) == []


def test_the_eml_and_the_files_of_render_take_the_layout(make: Make, run: Callable) -> None:
    workspace = _workspace(make)
    rendering = render_campaign(workspace, "rebajas")
    version = next(v for v in rendering.versions if v.channel == "email")
    message = email.message_from_bytes(
        eml(version, rendering.campaign, workspace),
        policy=default,  # type: ignore[arg-type]
    )
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'class="cabecera"' in html
    out = workspace.root / "out"
    result = run("render", "rebajas", "-w", str(workspace.root), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert 'class="cabecera"' in (out / "email.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("layout", "line", "rule", "words"),
    [
        (LAYOUT.replace("{% endfor %}", "{% endfro %}"), 8, "T101", "endfro"),
        (LAYOUT.replace("{{ m.headline }}", "{{ m.titular }}"), 5, "T102", "titular"),
        (LAYOUT.replace("{{ subject }}", "{{ subject.__class__ }}"), 2, "T103", "__class__"),
        (LAYOUT.replace("</mj-column>", ""), 1, "T104", "valid MJML"),
    ],
    ids=["syntax", "undefined", "unsafe", "not-mjml"],
)
def test_a_broken_layout_is_one_finding_at_its_line_and_stops_render_clearly(
    make: Make, run: Callable, layout: str, line: int, rule: str, words: str
) -> None:
    workspace = _workspace(make, layout, **{"campaigns/otra.yaml": CAMPAIGN})
    findings = [f for f in lint(workspace).findings if f.rule.startswith("T")]
    assert [(f.location.file, f.location.line, f.rule) for f in findings] == [
        ("plantillas/correo.mjml", line, rule)
    ]  # one problem, though two campaigns send through it
    assert words in findings[0].message
    out = workspace.root / "out"
    result = run("render", "rebajas", "-w", str(workspace.root), "--out", str(out))
    assert result.exit_code != 0
    assert f"plantillas/correo.mjml:{line}:" in result.output
    assert rule in result.output
    assert "Traceback" not in result.output


def test_a_layout_reads_no_other_file(make: Make, tmp_path: Path) -> None:
    secret = tmp_path / "secret.mjml"
    secret.write_text("<mj-text>SECRET</mj-text>", encoding="utf-8")
    include = f'<mj-include path="{secret}" />'
    workspace = _workspace(make, LAYOUT.replace("<mj-section>", include + "<mj-section>"))
    findings = lint(workspace).findings
    assert [f.rule for f in findings] == ["T104"]
    assert all("SECRET" not in f.message for f in findings)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"plantillas/otra.mjml"', "there is no file plantillas/otra.mjml"),
        ('"../fuera.mjml"', "not a path inside the workspace"),
        ('"/etc/passwd.mjml"', "not a path inside the workspace"),
        ('"plantillas/correo.html"', "not an MJML file"),
    ],
)
def test_a_layout_that_is_not_there_is_a_finding_on_the_setting(
    make: Make, value: str, words: str
) -> None:
    settings = SETTINGS.replace('"plantillas/correo.mjml"', value)
    workspace = _workspace(make, **{"mcplan.toml": settings})
    (finding,) = workspace.findings
    assert (finding.location.file, finding.location.line, finding.rule) == (
        "mcplan.toml", 8, "S203"
    )  # fmt: skip
    assert words in finding.message
    assert workspace.email_layout is None  # the bundled layout, meanwhile


def test_a_layout_is_read_like_every_workspace_file(make: Make, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.mjml"
    outside.write_text(LAYOUT, encoding="utf-8")
    workspace = _workspace(make, b"\xff\xfe<mjml>")
    assert [(f.location.file, f.rule) for f in workspace.findings] == [
        ("plantillas/correo.mjml", "S102")
    ]
    (workspace.root / "plantillas/correo.mjml").unlink()
    os.symlink(outside, workspace.root / "plantillas/correo.mjml")
    workspace = load_workspace(workspace.root, discover=False)
    assert [(f.location.file, f.rule) for f in workspace.findings] == [
        ("plantillas/correo.mjml", "S108")
    ]
    (workspace.root / "plantillas/correo.mjml").unlink()
    (workspace.root / "plantillas/correo.mjml").write_bytes(b"<!-- -->" * 200_000)
    workspace = load_workspace(workspace.root, discover=False)
    assert [(f.location.file, f.rule) for f in workspace.findings] == [
        ("plantillas/correo.mjml", "S103")
    ]


def test_an_unsubscribe_mailto_is_an_address(make: Make) -> None:
    settings = SETTINGS + 'unsubscribe_mailto = "https://olivar.es/baja"\n'
    workspace = _workspace(make, **{"mcplan.toml": settings})
    (finding,) = workspace.findings
    assert (finding.rule, finding.location.line) == ("S203", 9)
    assert "is not an e-mail address" in finding.message


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:void(0)",
        "data:text/html,<script>alert(1)</script>",
        "http://olivar.es/baja",
        "mailto:baja@olivar.es",
        "https://[::1",
        'https://olivar.es/baja" onclick="alert(1)',
        "https://olivar.es/baja\u202e",
        "{{ unsubscribe }} javascript:alert(1)",
    ],
)
def test_an_unsubscribe_url_is_https_or_a_merge_tag(make: Make, value: str) -> None:
    settings = SETTINGS.replace('"*|UNSUB|*"', json.dumps(value))
    workspace = _workspace(make, **{"mcplan.toml": settings})
    (finding,) = workspace.findings
    assert (finding.rule, finding.location.line) == ("S203", 7)
    assert "is not an unsubscribe link: give an https:// address or the sending platform's " in (
        finding.message
    )
    assert workspace.settings.email.unsubscribe_url == ""  # never written into an e-mail


@pytest.mark.parametrize(
    "value",
    [
        "*|UNSUB|*",  # Mailchimp
        "{{ unsubscribe }}",  # Brevo
        "{% unsubscribe_url %}",  # Klaviyo
        "{{{ pm:unsubscribe }}}",  # Postmark
        "%%unsub_center_url%%",  # Salesforce Marketing Cloud
        "[[UNSUB_LINK_ES]]",  # Mailjet
        "<%asm_group_unsubscribe_raw_url%>",  # SendGrid
        "https://olivar.es/baja?e={{ contact.EMAIL }}&l=*|LIST|*",
    ],
)
def test_a_platform_s_merge_tag_or_an_https_url_is_an_unsubscribe_url(
    make: Make, value: str
) -> None:
    settings = SETTINGS.replace('"*|UNSUB|*"', json.dumps(value))
    workspace = _workspace(make, **{"mcplan.toml": settings})
    assert workspace.findings == []
    assert f'href="{value}"' in unescape(_html(workspace))
    assert _found(workspace) == []  # the footer links to it: no E101


def test_the_documented_layout_works_as_written(make: Make) -> None:
    documented = (ROOT / "docs" / "email.md").read_text("utf-8")
    layout = documented.split("```html\n")[1].split("```")[0]
    workspace = _workspace(make, layout)
    page = _html(workspace)
    html5lib.HTMLParser(strict=True).parse(page)
    assert 'alt="Olivar"' in page
    assert _found(workspace) == []


def test_a_finding_in_the_layout_is_silenced_by_a_comment_in_it(make: Make) -> None:
    image = '<mj-image src="https://olivar.es/logo.png" />'
    layout = LAYOUT.replace("<mj-section>", f"<mj-section>{image}", 1)
    assert [(f[2], f[1]) for f in _found(_workspace(make, layout))] == [("E104", 4)]
    silenced = layout.replace(image, image + "<!-- # mcplan: disable=E104 -->")
    assert _found(_workspace(make, silenced)) == []


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in its own process: a crash of the MJML compiler (a segmentation
    fault, a Rust panic) ends that process, not the tests. The timeout only guards a hang."""
    return subprocess.run(
        [sys.executable, "-m", "mcplan", *args, "-w", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


_DEEP_LOOPS = "{% for a in range(100) %}{% for b in range(100) %}<b>{% endfor %}{% endfor %}"
_CAROUSEL = (
    "<mj-section><mj-column><mj-carousel>{% for n in range(1000) %}"
    '<mj-carousel-image src="https://olivar.es/{{ n }}.jpg" alt="{{ n }}" />'
    "{% endfor %}</mj-carousel></mj-column></mj-section>"
)
_STYLED = '<mj-text><p style="margin">{{ m.headline }}</p></mj-text>'  # not a declaration
_COPIED = "".join(f'<p><b class="a{n}">' for n in range(29)) + "<p>x</p>" * 10_000 + "</b></p>" * 29


@pytest.mark.parametrize(
    ("section", "line", "words"),
    [
        (f"<mj-raw>{_DEEP_LOOPS}</mj-raw>", 4, "nested more than 64 deep"),  # segfault
        ("<mj-wrapper>" * 2000 + "</mj-wrapper>" * 2000, 4, "nested more than 64 deep"),
        ("<mj-raw><!--[if mso]x</mj-raw>", 4, "conditional comment"),  # a Rust panic
        ("<mj-text>{{ m.headline }} €></mj-text>", 4, "€"),  # a Rust panic
        ("<mj-text>Aceite</mj-text>]]>", 4, "]]&gt;"),
        (f"<mj-raw>{_COPIED}</mj-raw>", 4, "formatting elements"),  # 81 KB of HTML gave 5.9 MB
        (_CAROUSEL, 4, "more than 100 carousel images"),  # 17 MB of HTML, and a second
    ],
    ids=[
        "nested-loops",
        "nested-wrappers",
        "conditional-comment",
        "gt",
        "cdata-end",
        "copies",
        "carousel",
    ],
)
def test_what_would_crash_the_mjml_compiler_is_a_finding_at_the_layout_line(
    make: Make, section: str, line: int, words: str
) -> None:
    layout = LAYOUT.replace("<mj-section>", section + "\n    <mj-section>", 1)
    root = _workspace(make, layout).root
    lint = _cli(root, "lint", "-f", "concise")
    assert lint.returncode == 1, lint.stderr
    found = [row for row in lint.stdout.splitlines() if " T104 " in row]
    assert [row.split(" error ")[0] for row in found] == [f"plantillas/correo.mjml:{line}:1:"]
    assert words in found[0]
    render = _cli(root, "render", "rebajas", "--out", str(root / "out"))
    assert render.returncode == 2
    assert f"plantillas/correo.mjml:{line}:1: T104" in render.stderr
    for done in (lint, render):
        assert "Traceback" not in done.stderr
        assert "panicked" not in done.stderr


def test_html_past_what_css_inline_is_given_is_a_finding(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mcplan.render.email.MAX_HTML", 2_000)  # 10 MB: more than any now
    findings = lint(_workspace(make)).findings
    assert [(f.rule, f.location.line) for f in findings] == [("T104", 1)]
    assert "characters of HTML, more than 2,000" in findings[0].message


def test_css_the_inliner_cannot_read_is_a_finding_not_a_crash(make: Make) -> None:
    layout = LAYOUT.replace("</mj-head>", "<mj-style>p { margin: 0 }</mj-style></mj-head>").replace(
        '<mj-text css-class="cabecera">{{ m.headline }}, hasta el {{ m.ends | date }}</mj-text>',
        _STYLED,
    )
    findings = lint(_workspace(make, layout)).findings
    assert [(f.rule, f.location.line) for f in findings] == [("T104", 1)]
    assert "End of input" in findings[0].message  # css-inline's words


@pytest.mark.parametrize(
    ("layout", "rules"),
    [
        (LAYOUT.replace("</mj-body>", "<!-- " + "<a " * 25_000 + "--></mj-body>"), []),
        ("<a " * 300_000, ["T103"]),  # refused as too long: not scanned
    ],
    ids=["in-a-comment", "too-long"],
)
def test_the_scans_of_the_layout_and_of_its_html_are_linear(
    make: Make, layout: str, rules: list[str]
) -> None:
    # Both scans took time in the square of the number of "<a " (60 KB: 35 s).
    done = _cli(_workspace(make, layout).root, "lint", "-f", "json")
    assert [f["rule"] for f in json.loads(done.stdout)] == rules


def test_nothing_a_layout_links_or_imports_is_read(make: Make, tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: #0badc0 }", encoding="utf-8")
    head = (
        f'<mj-style inline="inline">@import url("{secret}"); @import "{secret.as_uri()}";'
        f'</mj-style><mj-raw><link rel="stylesheet" href="{secret}" /></mj-raw>'
    )
    workspace = _workspace(make, LAYOUT.replace("</mj-head>", head + "</mj-head>"))
    assert "0badc0" not in _html(workspace)
    assert [(f.rule, f.location.line) for f in lint(workspace).findings] == [
        ("E111", 2), ("E111", 2), ("E111", 2)
    ]  # fmt: skip


_TAGS = ["mj-section", "mj-column", "mj-wrapper", "mj-text", "mj-button", "mj-raw", "mj-hero"]
_TAGS += ["mj-image", "mj-table", "mj-social", "mj-navbar", "mj-accordion", "div", "p", "b", "br"]
_BITS = ["x", "€>", "é'>", "]]>", "<", ">", "&amp;", "&", "<!-- c -->", "<!--[if mso]>"]
_BITS += ["<![endif]-->", "<!--[if mso]x", "<![endifx", "<![CDATA[x]]>", "<?x?>", "</x>", "-->"]
_ATTRIBUTES = st.sampled_from(["", ' width="50%"', " padding='1px 2px'", ' href="a>b"', " a"])


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def tag(name: str, attributes: str, inner: list[str], closed: bool) -> str:
        return f"<{name}{attributes}>{''.join(inner)}" + (f"</{name}>" if closed else "")

    return st.builds(
        tag, st.sampled_from(_TAGS), _ATTRIBUTES, st.lists(children, max_size=3), st.booleans()
    ) | st.builds(lambda name: f"<{name} />", st.sampled_from(_TAGS))


_MJML = st.recursive(st.sampled_from(_BITS), _element, max_leaves=12)


@functools.cache
def _olivar() -> tuple[Workspace, Any, Any]:
    workspace = load_workspace(WORKSPACES / "lint" / "email" / "clean", discover=False)
    rendering = render_campaign(workspace, "catalogo")
    version = next(v for v in rendering.versions if v.channel == "email")
    return workspace, version, rendering.campaign


@settings(max_examples=120, deadline=None)
@given(body=_MJML, depth=st.sampled_from([0, 0, 61, 62, 200]))
def test_any_mjml_a_layout_gives_is_html_or_a_finding(body: str, depth: int) -> None:
    # mrml and css-inline are native code: what would crash them or make them panic must be
    # refused before them (a crash here would end the test run).
    wrapped = f"{'<mj-wrapper>' * depth}{body}{'</mj-wrapper>' * depth}"
    workspace, version, campaign = _olivar()
    layout = EmailLayout("plantillas/correo.mjml", f"<mjml><mj-body>{wrapped}</mj-body></mjml>")
    try:
        page = html_email(version, campaign, replace(workspace, email_layout=layout))
        outcome = "html" if page.lower().startswith("<!doctype html>") else page[:40]
    except TemplateProblem as problem:
        outcome = problem.finding.rule
    assert outcome in ("html", "T101", "T104")  # T101: "{%" in a text is Jinja's
