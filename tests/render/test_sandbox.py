"""Hostile templates are refused with a clear error and never hang or exhaust memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CAMPAIGN, PERSONA
from mcplan import Level, load_workspace
from mcplan.lint.registry import RULES
from mcplan.render import render_campaign


def render_template(make_workspace: Callable[..., Path], template: str) -> tuple[str, str]:
    """Render a one-part SMS template; return (rule, message) of its one finding."""
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN + "    channels: [sms]\n",
            "channel_rules/sms.yaml": "extends: sms\ntemplate:\n  text: |\n    "
            + template.replace("\n", "\n    ")
            + "\n",
        }
    )
    result = render_campaign(load_workspace(root), "c")
    [finding] = result.findings
    assert finding.location.file == "channel_rules/sms.yaml"
    return finding.rule, finding.message


@pytest.mark.parametrize(
    ("template", "rule", "message"),
    [
        ("{{ ''.__class__ }}", "T103", "attribute '__class__' is not allowed"),
        ("{{ m['__class__'] }}", "T103", "attribute '__class__' is not allowed"),
        ("{{ m.headline.__class__.__mro__ }}", "T103", "attribute '__mro__' is not allowed"),
        (
            "{{ 2 ** 1000000 }}",
            "T103",
            "the power operator (**) is not allowed in channel templates",
        ),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
            "T103",
            "a macro is not allowed in channel templates",
        ),
        (
            "{% include 'secrets.txt' %}",
            "T103",
            "{% include %} is not allowed in channel templates",
        ),
        ("{% extends 'base' %}", "T103", "{% extends %} is not allowed in channel templates"),
        ("{% import 'x' as x %}", "T103", "{% import %} is not allowed in channel templates"),
        ("{% from 'x' import y %}", "T103", "{% from ... import %} is not allowed in channel"),
        ("{% block b %}{% endblock %}", "T103", "a {% block %} is not allowed in channel"),
        ("{% for x in m recursive %}{{ loop(x) }}{% endfor %}", "T103", "recursive loops"),
        (
            "{% for a in m %}{% for b in m %}{% for c in m %}{% endfor %}{% endfor %}{% endfor %}",
            "T103",
            "loops may nest at most 2 deep",
        ),
        ("{% for i in range(10000000) %}x{% endfor %}", "T103", "at most 1,000 numbers"),
        ("{% for c in 'ab' * 5000 %}{% endfor %}", "T103", "at most 1,000 items"),
        ("{{ 'a' * 1000000000 }}", "T103", "repeating text or a list this many times"),
        ("{{ '%999999999s' % 'a' }}", "T103", "%-formatting of text is not allowed"),
        ("{{ '{:>999999999}'.format(1) }}", "T103", "calling .format() is not allowed"),
        ("{{ m.headline.center(999999999) }}", "T103", "calling .center() is not allowed"),
        ("{{ m.items.__self__ }}", "T103", "attribute '__self__' is not allowed"),
        (
            "{% for i in range(1000) %}{% for j in range(1000) %}{{ 'x' * 100 }}"
            "{% endfor %}{% endfor %}",
            "T103",
            "more than 100,000 characters",
        ),
        (
            "{% set a='a'*100000 %}" + "{% set a=a~a %}" * 15 + "{{ a|length }}",
            "T103",
            "joining text into more than 100,000 characters is refused",
        ),
        (
            "{% set a='a'*100000 %}" + "{% set a=a+a %}" * 15,
            "T103",
            "a value of more than 100,000 characters is refused",
        ),
        ("{{ ('a'*100000).replace('a', 'b'*50000) }}", "T103", "replace() would make more"),
        ("{{ ('a'*100000)|replace('a', 'b'*50000) }}", "T103", "replace() would make more"),
        ("{{ ('a'*100000).translate({97: 'b'*50000}) }}", "T103", "translate() would make"),
        ("{{ [1]|tojson(300000000) }}", "T103", "tojson() may indent by at most 16"),
        ("{{ [1, 2]|slice(100000000)|list }}", "T103", "slice() may make at most 1,000 groups"),
        ("{{ ('x'*99999)|list|join('y'*99999) }}", "T103", "join() would make more than"),
        ("{{ ('y'*99999).join(('x'*99999)|list) }}", "T103", "join() would make more than"),
        (
            "{% set ns = namespace(x=3) %}{% for i in range(30) %}{% set ns.x = ns.x * ns.x %}"
            "{% endfor %}{{ ns.x }}",
            "T103",
            "a number this large is refused",
        ),
        ("{{ m.headline | center(99999) }}", "T101", "No filter named 'center'"),
        ("{{ lipsum() }}", "T102", "'lipsum' is undefined"),
        ("{{ m.headline", "T101", "unexpected end of template"),
        ("{{ 1 / 0 }}", "T104", "ZeroDivisionError"),
    ],
)
def test_hostile_templates_are_refused(
    make_workspace: Callable[..., Path], template: str, rule: str, message: str
) -> None:
    found_rule, found_message = render_template(make_workspace, template)
    assert found_rule == rule
    assert message in found_message


def test_template_rules_are_all_registered() -> None:
    template_rules = {code for code in RULES if code.startswith("T")}
    assert template_rules == {"T101", "T102", "T103", "T104", "T105", "T106"}
    assert {RULES[code].level for code in template_rules} == {Level.ERROR}


def test_errors_point_at_the_template_line_in_its_file(make_workspace: Callable) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN + "    channels: [email]\n",
            "channel_rules/email.yaml": """
                extends: email
                template:
                  subject: "{{ m.headline }}"
                  body: |
                    Bonjour,

                    {{ m.hedline }}
            """,
        }
    )
    [finding] = render_campaign(load_workspace(root), "c").findings
    assert (finding.rule, finding.location.file, finding.location.line) == (
        "T102",
        "channel_rules/email.yaml",
        7,
    )
    meant = "(did you mean 'headline'?)"
    assert (
        finding.message
        == f"template.body: undefined: 'dict object' has no attribute 'hedline' {meant}"
    )


def test_a_syntax_error_in_a_campaign_template_points_at_the_campaign(
    make_workspace: Callable,
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "    channels: [sms]\n    templates:\n      sms: 'Hello {% if %}'\n",
        }
    )
    [finding] = render_campaign(load_workspace(root), "c").findings
    assert (finding.rule, finding.location.file, finding.location.line) == (
        "T101",
        "campaigns/c.yaml",
        9,
    )


def test_a_render_has_a_time_budget(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each loop item and each call checks the clock; with no time left, the first one stops.
    from mcplan.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.0)
    rule, message = render_template(make_workspace, "{% for i in range(3) %}{{ i }}{% endfor %}")
    assert (rule, message) == (
        "T103",
        "template.text: refused: the template takes longer than 0 seconds",
    )
