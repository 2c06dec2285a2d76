"""The rules, as `mcplan rules` shows them and as `docs/rules.md` and the README's table are
generated: every word comes from the rule declarations (see `mcplan.lint.registry`)."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from mcplan.errors import UsageError
from mcplan.findings import Family, Rule
from mcplan.json_text import json_text
from mcplan.lint.registry import RULES, family
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, TEXT, Grid
from mcplan.rule_examples import BASE, files
from mcplan.suggest import did_you_mean

Families = Sequence[Family]


def table(families: Families) -> Rich:
    out = Grid(
        "Rules", [("code", ID), ("name", ID), ("level", ID), ("what", TEXT)], bold_first=True
    )
    for group in families:
        for rule in group.rules:
            out.add_row(rule.code, rule.name, str(rule.level), rule.summary)
    return Rich([out])


def as_json(families: Families) -> str:
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "level": str(rule.level),
            "family": group.name,
            "summary": rule.summary,
            "details": rule.details,
            "hint": rule.hint,
        }
        for group in families
        for rule in group.rules
    ]
    return json_text(rows)


def readme_table(families: Families) -> str:
    """The README's table of every rule."""
    lines = ["| code | name | level | what |", "| --- | --- | --- | --- |"]
    for group in families:
        lines += [f"| {r.code} | {r.name} | {r.level} | {r.summary} |" for r in group.rules]
    return "\n".join(lines) + "\n"


RULE_EMITTERS: dict[str, Emitter[Families]] = {
    "text": table,
    "json": as_json,
    "markdown": readme_table,
}


def rule_text(code: str) -> str:
    """One rule's documentation, as `mcplan rules CODE` prints it (Markdown)."""
    rule = RULES.get(code.upper())
    if rule is None:
        raise UsageError(f"unknown rule '{code}'{did_you_mean(code.upper(), RULES)}")
    return "\n".join([f"# {rule.code}: {rule.name}", "", *_body(rule, level=2)]) + "\n"


def _body(rule: Rule, level: int) -> list[str]:
    heading = "#" * level
    out = [f"Level: {rule.level}. Family: {family(rule.code).name}.", "", rule.summary, ""]
    if rule.details:
        out += [rule.details, ""]
    if rule.hint:
        out += [f"Fix: {rule.hint}", ""]
    for title, example in (("Fails", rule.fails), ("Passes", rule.passes)):
        if example:
            out += [f"{heading} {title}", ""]
            for path, text in files(example).items():
                out += _file(path, text)
    return out


def _file(path: str, text: str) -> list[str]:
    """A file of an example as a fenced block, its name as a comment of its language."""
    if path.endswith(".mjml"):
        return ["```html", f"<!-- {path} -->", text.rstrip("\n"), "```", ""]
    language = "toml" if path.endswith(".toml") else "yaml"
    return [f"```{language}", f"# {path}", text.rstrip("\n"), "```", ""]


def docs_markdown(families: Families) -> str:
    """``docs/rules.md``: every family and every rule, with their examples."""
    out = [
        "# Rules",
        "",
        "Generated from the rule declarations by `mcplan.output.rules.docs_markdown()`; a test",
        "fails when it drifts. `mcplan rules` lists them, `mcplan rules CODE` prints one.",
        "",
        "The examples are linted by the tests: each *fails* example gives its rule, each *passes*",
        "example does not. They use these files unless they give their own:",
        "",
        *(line for path, text in BASE.items() for line in _file(path, text)),
        *_letters(families),
    ]
    for group in families:
        out += [f"## {group.letter}: {group.name}", "", inspect.cleandoc(group.doc), ""]
        for rule in group.rules:
            # The heading gives GitHub the anchor that SARIF's helpUri names (`anchor`).
            out += [f"### {rule.code}: {rule.name}", "", *_body(rule, level=4)]
    return "\n".join(out).rstrip("\n") + "\n"


def _letters(families: Families) -> list[str]:
    """The table of families: a code's letter is its family's, and selects the family."""
    out = [
        "## Families",
        "",
        "A rule's code is its family's letter and a number. A letter selects its family (or a",
        "prefix, such as `P1`, part of it) wherever a code is accepted: `select`, `ignore` and",
        "`per_path_ignores` in `[lint]`, and `# mcplan: disable=P`.",
        "",
        "| letter | family | what it checks |",
        "| --- | --- | --- |",
    ]
    for group in families:
        link = f"#{group.letter}-{group.name}".lower()
        out.append(f"| [{group.letter}]({link}) | {group.name} | {group.summary} |")
    return [*out, ""]
