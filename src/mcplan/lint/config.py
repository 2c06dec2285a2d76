"""The lint configuration (`[lint]` in the settings), checked against the rules that exist.

The settings model checks the shape of each selector (`P`, `P1`, `P101`, `ALL`); only the
linter knows its rules, so whether each one names a rule is checked here, at its line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from mcplan.findings import Finding, Level, Subject
from mcplan.lint.registry import RULES, matching
from mcplan.suggest import did_you_mean
from mcplan.workspace import Workspace
from mcplan.workspace.settings import LintSettings
from mcplan.workspace.sourcemap import KeyPath, SourceMap, format_path
from mcplan.workspace.structure import UNKNOWN_REFERENCE


def problems(workspace: Workspace) -> list[Finding]:
    """An S301 finding for every selector or code of `[lint]` that names no rule."""
    source = workspace.settings_source or SourceMap(workspace.settings_file or "mcplan.toml")
    return sorted(_unknown(workspace.settings.lint, source))


def _unknown(config: LintSettings, source: SourceMap) -> Iterator[Finding]:
    named: list[tuple[KeyPath, str]] = [
        (("lint", "select", i), s) for i, s in enumerate(config.select)
    ]
    named += [(("lint", "ignore", i), s) for i, s in enumerate(config.ignore)]
    named += [(("lint", "levels", code), code) for code in config.levels]
    for pattern, selectors in config.per_path_ignores.items():
        named += [(("lint", "per_path_ignores", pattern, i), s) for i, s in enumerate(selectors)]
    for path, selector in named:
        if not matching(selector):
            yield UNKNOWN_REFERENCE(
                source.locate(path),
                f"{format_path(path)}: unknown rule '{selector}'{did_you_mean(selector, RULES)}",
                hint="give a code (P101), a family or prefix (P, P1), or ALL; `mcplan rules` "
                "lists them",
                subject=Subject(),
            )


def selected(config: LintSettings) -> set[str]:
    """The codes the configuration runs: its `select`, less its `ignore`."""
    chosen = {code for selector in config.select for code in matching(selector)}
    return chosen - {code for selector in config.ignore for code in matching(selector)}


def configured(finding: Finding, config: LintSettings) -> Finding | None:
    """The finding at its configured level, or None when its rule is turned off."""
    name = config.levels.get(finding.rule)
    if name is None:
        return finding
    if name == "off":
        return None
    return dataclasses.replace(finding, level=Level.named(name))


def fail_level(name: str) -> Level | None:
    """``"warning"`` → ``Level.WARNING``; ``"never"`` → None."""
    return None if name == "never" else Level.named(name)
