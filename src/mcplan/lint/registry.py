"""Every rule of mcplan, in one table: the union of what each family module declares.

A family module declares its `FAMILY` name and its `RULES`, and its docstring documents the
family; its rules all share the code's letter. The engine, the lint configuration, `mcplan
rules`, SARIF's rule list and the generated `docs/rules.md` all read this table, so a rule
exists once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from mcplan.findings import Rule
from mcplan.lint import suppress
from mcplan.lint.rules import compliance, consistency, emails, pressure
from mcplan.plan import rules as planning
from mcplan.render import limits, templates
from mcplan.workspace import structure

DOCS_URL = "https://github.com/mcplan/mcplan/blob/main/docs/rules.md"


@dataclass(frozen=True)
class Family:
    """The rules that share a code letter, and the module that declares them."""

    letter: str
    name: str
    doc: str
    module: str
    rules: tuple[Rule, ...]

    @classmethod
    def of(cls, module: ModuleType) -> Family:
        rules: tuple[Rule, ...] = module.RULES
        return cls(rules[0].code[0], module.FAMILY, module.__doc__ or "", module.__name__, rules)


# In the order of the documentation (and of the rule table in the README).
FAMILIES = tuple(
    Family.of(module)
    for module in (
        structure,
        templates,
        pressure,
        compliance,
        consistency,
        limits,
        emails,
        planning,
        suppress,
    )
)
RULES: dict[str, Rule] = {rule.code: rule for family in FAMILIES for rule in family.rules}
BY_LETTER = {family.letter: family for family in FAMILIES}


def family(code: str) -> Family:
    """The family of a rule code."""
    return BY_LETTER[code[0]]


def matching(selector: str) -> list[str]:
    """The codes a selector names: a code (`P101`), a prefix (`P`, `P1`) or `ALL`."""
    if selector == "ALL":
        return list(RULES)
    return [code for code in RULES if code.startswith(selector)]


def anchor(rule: Rule) -> str:
    """The rule's anchor in docs/rules.md (GitHub's, from its heading `P101: persona-pressure`)."""
    return f"{rule.code}-{rule.name}".lower()


def help_uri(code: str) -> str:
    """Where a rule is documented: its section of docs/rules.md."""
    return f"{DOCS_URL}#{anchor(RULES[code])}"
