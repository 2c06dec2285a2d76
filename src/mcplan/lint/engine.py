"""Run every selected rule family, then apply configuration, suppressions and the baseline."""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mcplan.findings import Finding, Level
from mcplan.lint import baseline as baselines
from mcplan.lint import suppress
from mcplan.lint.context import LintContext
from mcplan.lint.rules import FAMILIES
from mcplan.rules import matching
from mcplan.workspace import Workspace
from mcplan.workspace.settings import LintSettings, Severity

_LEVELS = {Severity.ERROR: Level.ERROR, Severity.WARNING: Level.WARNING, Severity.INFO: Level.INFO}


@dataclass
class LintResult:
    findings: list[Finding]
    files: list[str]  # every workspace file, relative to its root
    suppressed: int = 0
    baselined: int = 0
    config_errors: list[Finding] = field(default_factory=list)


def selected_rules(settings: LintSettings) -> set[str]:
    chosen = {code for selector in settings.select for code in matching(selector)}
    return chosen - {code for selector in settings.ignore for code in matching(selector)}


def lint(
    workspace: Workspace,
    *,
    paths: Sequence[str] | None = None,
    baseline: Path | None = None,
    settings: LintSettings | None = None,
) -> LintResult:
    """Lint the whole workspace; report findings in ``paths`` only (all when None).

    Contact pressure crosses files and campaigns, so everything is always loaded and checked;
    ``paths`` (relative to the workspace) only limits what is reported.
    """
    config = settings or workspace.settings.lint
    chosen = selected_rules(config)
    context = LintContext(workspace)
    found: list[Finding] = []
    for family in FAMILIES:
        if chosen & set(family.CODES):
            found.extend(family.check(context))
    files = sorted(workspace.files)
    result = LintResult([], files)
    result.config_errors = [
        f for f in workspace.findings if f.location.file == workspace.settings_file
    ]
    found = [
        configured
        for f in found
        if f.rule in chosen and (configured := _configured(f, config)) is not None
    ]
    found = [f for f in found if not _path_ignored(f, config)]

    suppressions = suppress.read(workspace.root, files)
    found, result.suppressed = suppress.apply(found, suppressions)
    if "X101" in chosen:
        found += [f for u in suppress.unused(suppressions) if (f := _configured(u, config))]

    if baseline is not None and baseline.exists():
        lines = baselines.SourceLines(workspace.root)
        found, result.baselined = baselines.apply(found, baselines.read(baseline), lines)

    if paths is not None:
        found = [f for f in found if _within(f.location.file, paths)]
    result.findings = sorted(found)
    return result


def _configured(item: Finding, config: LintSettings) -> Finding | None:
    """The finding at its configured level, or None when its rule is turned off."""
    severity = config.levels.get(item.rule)
    if severity is None:
        return item
    if severity is Severity.OFF:
        return None
    return dataclasses.replace(item, level=_LEVELS[severity])


def _path_ignored(item: Finding, config: LintSettings) -> bool:
    return any(
        fnmatch.fnmatch(item.location.file, pattern)
        and any(item.rule in matching(s) for s in selectors)
        for pattern, selectors in config.per_path_ignores.items()
    )


def _within(file: str, paths: Sequence[str]) -> bool:
    return any(file == p or file.startswith(p.rstrip("/") + "/") or p in ("", ".") for p in paths)


def fails(findings: Sequence[Finding], fail_level: str) -> bool:
    """Whether any finding is at or above ``fail_level`` (error, warning, info or never)."""
    if fail_level == "never":
        return False
    threshold = {"error": Level.ERROR, "warning": Level.WARNING, "info": Level.INFO}[fail_level]
    return any(f.level >= threshold for f in findings)


__all__ = ["LintResult", "fails", "lint", "selected_rules"]
