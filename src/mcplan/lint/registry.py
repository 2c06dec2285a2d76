"""Every rule family of mcplan, in one table, and every rule: what each family's home declares.

A family is one `Family` value (`mcplan.findings`) in the module that finds its rules (its
home): its letter, name, summary, rules and entry points. The runner and the engine, the lint
configuration, suppressions, `mcplan rules`, SARIF's rule list, the generated `docs/rules.md`
and the README's table all read this table, so a family and a rule each exist once.
"""

from __future__ import annotations

from mcplan.findings import Family, Rule
from mcplan.lint import suppress
from mcplan.lint.rules import compliance, consistency, emails, pressure
from mcplan.plan import rules as planning
from mcplan.render import limits, templates
from mcplan.workspace import structure

DOCS_URL = "https://github.com/mcplan/mcplan/blob/main/docs/rules.md"

# In the order their findings are computed, and of the documentation (and the README's table):
# planning's findings come from `mcplan plan`, the linter's own from the suppressions, last.
FAMILIES: tuple[Family, ...] = (
    structure.FAMILY,
    templates.FAMILY,
    pressure.FAMILY,
    compliance.FAMILY,
    consistency.FAMILY,
    limits.FAMILY,
    emails.FAMILY,
    planning.FAMILY,
    suppress.FAMILY,
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
