"""A workspace's own e-mail layout (`[email] layout`): rendered in the sandbox with every value
escaped, read like every workspace file, and every problem a finding at its line."""

from __future__ import annotations

import email
import os
from collections.abc import Callable
from email.policy import default
from pathlib import Path

import html5lib
import pytest

from conftest import PERSONA, ROOT
from mcplan import load_workspace
from mcplan.lint.engine import lint
from mcplan.output.eml import eml
from mcplan.render import render_campaign
from mcplan.render.email import html_email
from mcplan.workspace import Workspace

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
