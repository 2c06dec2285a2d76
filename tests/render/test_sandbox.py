"""Hostile templates are refused with a clear error and never hang or exhaust memory."""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel import Locale
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError

from conftest import CAMPAIGN, PERSONA, french
from mcplan import Level, load_workspace
from mcplan.lint.registry import RULES
from mcplan.render import render_campaign
from mcplan.render.filters import RenderState, rendering
from mcplan.render.sandbox import compile_template, render_bounded


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
        ("{{ m['_\\x1b[2J'] }}", "T103", "attribute '_\\u001b[2J' is not allowed"),
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
        # What would print Python's notation (a class, a method at an address, an iterator…).
        ("{{ namespace }}", "T103", "a function (call it) cannot be printed as text"),
        ("{{ self }}", "T103", "self cannot be printed as text"),
        ("{{ range }}", "T103", "a function (call it) cannot be printed as text"),
        ("{{ dict }}", "T103", "a function (call it) cannot be printed as text"),
        ("{% for i in [1] %}{{ loop }}{% endfor %}", "T103", "the loop variable cannot be"),
        ("{{ m.headline.upper }}", "T103", "a function (call it) cannot be printed as text"),
        ("{{ m.items() }}", "T103", "a dict_items value cannot be printed as text"),
        ("{{ [1, 2]|map('string') }}", "T103", "an iterator (add |list or |join) cannot be"),
        ("{{ [1, 2]|reverse }}", "T103", "an iterator (add |list or |join) cannot be"),
        ("{{ namespace(a=1) }}", "T103", "a namespace cannot be printed as text"),
        ("{{ [m.headline|e] }}", "T103", "a list holding a Markup value cannot be printed"),
        ("{{ [m.ends] }}", "T103", "a list holding a date value cannot be printed as text"),
        ("{{ 'x' ~ self }}", "T103", "self cannot be printed as text"),
        ("{{ self|string }}", "T103", "self cannot be printed as text"),
        ("{{ namespace|lower }}", "T103", "a function (call it) cannot be printed as text"),
        ("{{ [namespace]|join }}", "T103", "a function (call it) cannot be printed as text"),
        ("{{ (m.headline|e).join([self]) }}", "T103", "self cannot be printed as text"),
        ("{{ (m.headline|e).escape(self) }}", "T103", "self cannot be printed as text"),
        ("{{ m.headline|replace('s', self) }}", "T103", "self cannot be printed as text"),
        ("{{ {'a': self}|xmlattr }}", "T103", "self cannot be printed as text"),
        ("{{ [('a', self)]|urlencode }}", "T103", "self cannot be printed as text"),
        ("{{ m|pprint }}", "T103", "pprint() of a date value is refused"),
        ("{{ self|gsm }}", "T103", "self cannot be printed as text"),
        ("{{ self|date }}", "T104", "date: expected a date, got a value of type"),
        ("{{ [1].index(m.headline.upper) }}", "T104", "<built-in method upper of str object>"),
        ("{{ [1]|tojson(indent=300000000) }}", "T103", "tojson() may indent by at most 16"),
        ("{{ m.headline.encode() % () }}", "T103", "%-formatting of text is not allowed"),
        ("{{ m.ends|date('y' * 65) }}", "T103", "date: a format is a name or a pattern of at most"),
        (
            "{% set ns = namespace() %}"
            + "".join(f"{{% set ns.a{i} = 'x' * 100000 %}}" for i in range(20))
            + "{{ [1].index(ns) }}",
            "T104",
            "ValueError: <namespace> is not in list",
        ),
        ("{{ namespace(a=1) is lower }}", "T103", "a namespace cannot be printed as text"),
        ("{% if 1 %}" * 150 + "{% endif %}" * 150, "T103", "the template nests too deeply"),
        ("{{ " + "9" * 5000 + " }}", "T103", "a number of more than 4,300 digits is refused"),
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


@pytest.mark.parametrize(
    "printed", ["{{ namespace }}", "{{ self }}", "{{ m.items }}", "{{ [1]|map('string') }}"]
)
def test_what_would_print_python_notation_is_refused_at_its_line(
    make_workspace: Callable[..., Path], printed: str
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "    channels: [sms]\n    templates:\n      sms: |\n        {{ m.headline }}\n"
            f"        {printed} STOP au 36111\n",
        }
    )
    [finding] = render_campaign(load_workspace(root), "c").findings
    assert (finding.rule, finding.location.file, finding.location.line) == (
        "T103",
        "campaigns/c.yaml",
        11,
    )
    assert "cannot be printed as text" in finding.message


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


@pytest.mark.parametrize(
    "template", ["{{ 'x'.upper }}", "{{ (1, 2).count }}", "{{ ('x')|batch(0) }}", "{{ self }}"]
)
def test_an_e_mail_layout_prints_no_python_notation_either(template: str) -> None:
    # Jinja escapes a layout's constants when it compiles, before its finalize hook sees them.
    layout = compile_template(template, "layout.mjml", markup=True)[0]
    with pytest.raises(SecurityError, match="cannot be printed as text"):
        render_bounded(layout, {})


# Each payload stops at T103 on its own line, in a process that may not use more than 1 GB
# (unbounded, each took minutes or tens of gigabytes); the timeout only guards against a hang.
_IN_1_GB = """
import sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
except (ImportError, ValueError, OSError):  # no such limit on this system
    pass
from mcplan.cli import main
sys.argv[0] = "mcplan"
main()
"""
_BIG_LIST = "['x' * 100000] * 100000"
_SQUARED = "repeating text or a list this many times is refused"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            "{% set a = [1] %}" + "{% set a = [a, a] %}" * 60 + "{{ a }}",
            "a value of more than 100,000 characters or items is refused",
        ),
        ("{{ " + _BIG_LIST + " }}", _SQUARED),
        ("{{ (" + _BIG_LIST + ")|string }}", _SQUARED),
        ("{{ (" + _BIG_LIST + ")|tojson }}", _SQUARED),
        ("{{ (" + _BIG_LIST + ")|pprint }}", _SQUARED),
        ("{{ (" + _BIG_LIST + ")|map('string')|join }}", _SQUARED),
        (
            "{{ ('x' * 100000)|batch(1)|sum(start=[['y']])|length }}",
            "sum() would make more than 100,000 items",
        ),
        ("{{ 5|round(-1000000000) }}", "round() may keep at most 100 digits"),
        ("{{ 5|round(precision=1000000000, method='floor') }}", "round() may keep at most 100"),
        ("{{ [1, 2]|slice(slices=100000000)|list }}", "slice() may make at most 1,000 groups"),
        ("{{ [1]|batch(linecount=1000000000, fill_with=0)|list }}", "batch() may make at most"),
        ("{{ (1).to_bytes(1000000000, 'big') }}", "calling .to_bytes() is not allowed"),
        ("{{ m.headline.encode() * 1000000000 }}", _SQUARED),
        (
            "{% set x %}{% for i in range(1000) %}{% for j in range(1000) %}"
            + "x" * 1000
            + "{% endfor %}{% endfor %}{% endset %}{{ x|length }}",
            "a block of more than 100,000 characters is refused",
        ),
        (
            "{{ (('x' * 100000)" + "|batch(1)" * 120 + "|list)|length }}",
            "a value nested more than 100 deep is refused",
        ),
        (
            "{{ ('x' * 100000)|list|select('in', ('y' * 100000)|list)|list|length }}",
            "the template takes longer than 2 seconds",
        ),
        (
            "{% filter upper %}{% for i in range(1000) %}{% for j in range(1000) %}"
            "{{ 'x' * 1000 }}{% endfor %}{% endfor %}{% endfilter %}",
            "the template builds more than 100 MB",
        ),
    ],
)
def test_the_issues_payloads_stop_at_their_line_in_little_memory(
    make_workspace: Callable[..., Path], payload: str, message: str
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN + "    channels: [sms]\n",
            "channel_rules/sms.yaml": "extends: sms\ntemplate:\n  text: |\n    Bonjour,\n"
            f"    {payload}\n    STOP au 36111\n",
        }
    )
    command = [sys.executable, "-c", _IN_1_GB, "lint", "-w", str(root), "-f", "concise"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stderr) == (1, "mcplan: 1 error in 1 file\n")
    [finding] = [line for line in done.stdout.splitlines() if " T103 " in line]
    assert finding.startswith("channel_rules/sms.yaml:5:5: error T103 template.text: refused: ")
    assert french(message) in finding  # in the workspace's locale


# Templates that build values by every means at once: literals, ~, +, *, filters, a namespace
# changed in a loop, a {% set %} block. Whatever they do, a render keeps to a few megabytes
# (one value is at most 100,000 characters and items) and prints no Python notation.
_ATOMS = ["1", "'x'", "'x' * 1000", "'x' * 100000", "[1]", "[]", "{'k': 'v'}", "none"]
_ATOMS += ["m", "m.headline", "m.ends", "range(10)", "a", "b", "ns.v"]
_FILTERS = [
    "string", "tojson", "tojson(4)", "pprint", "list", "join", "join(', ')",
    "map('string')|join", "sum(start=[])", "unique|list", "sort", "reverse|list",
    "batch(3)|list", "slice(3)|list", "replace('x', 'yy')", "upper", "length", "first", "e",
    "urlize", "truncate(5)", "title", "items|list", "dictsort", "wordcount", "int", "round(2)",
    "xmlattr", "urlencode", "gsm", "list|map('tojson')|list", "groupby(0)|list", "reverse",
    "map('upper')",
]  # fmt: skip


def _pair(template: str) -> Callable[[tuple[str, str]], str]:
    return lambda pair: template.format(*pair)


_EXPRESSIONS = st.recursive(
    st.sampled_from(_ATOMS),
    lambda inner: st.one_of(
        inner.map("[{}]".format),
        st.tuples(inner, inner).map(_pair("[{}, {}]")),
        st.tuples(inner, inner).map(_pair("{{'a': {}, 'b': {}}}")),
        st.tuples(inner, inner).map(_pair("({} ~ {})")),
        st.tuples(inner, inner).map(_pair("({} + {})")),
        st.tuples(inner, st.sampled_from(["2", "10", "1000", "100000"])).map(_pair("({} * {})")),
        st.tuples(inner, st.sampled_from(_FILTERS)).map(_pair("({})|{}")),
    ),
    max_leaves=10,
)
_STATEMENTS = st.one_of(
    st.tuples(st.sampled_from("ab"), _EXPRESSIONS).map(_pair("{{% set {} = {} %}}")),
    _EXPRESSIONS.map("{{{{ {} }}}}".format),
    _EXPRESSIONS.map("{{% for i in range(10) %}}{{% set ns.v = {} %}}{{% endfor %}}".format),
    _EXPRESSIONS.map(
        "{{% set c %}}{{% for i in range(10) %}}{{{{ {} }}}}{{% endfor %}}{{% endset %}}".format
    ),
)


@contextlib.contextmanager
def _hang_guard(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when Python code runs past ``seconds`` (where SIGALRM exists)."""

    def expired(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    if not hasattr(signal, "SIGALRM"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_STATEMENTS, min_size=1, max_size=6))
@example(["{% set a = [('x' * 1000)] * 100000 %}", "{{ a|string|length }}"])  # 100 MB
@example(["{{ ([1])|reverse }}"])  # <list_reverseiterator object at 0x…>
def test_templates_that_build_values_stay_small(statements: list[str]) -> None:
    source = "{% set a = [1] %}{% set b = 'x' %}{% set ns = namespace(v=[1]) %}"
    source += "".join(statements)
    context = {"m": {"headline": "Les soldes", "ends": dt.date(2027, 2, 9)}}
    tracemalloc.start()
    try:
        with _hang_guard(60), rendering(RenderState(Locale.parse("fr_FR"), "EUR", False)):
            out = render_bounded(compile_template(source, "generated")[0], context)
    except (AssertionError, MemoryError, RecursionError):
        raise
    except Exception:  # refused, or a value of the wrong type: a finding
        out = ""
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 32_000_000
    assert not any(notation in out for notation in (" at 0x", "<class", "Markup(", "<function"))
