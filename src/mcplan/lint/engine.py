"""Run every selected rule family, then apply the configuration, suppressions and the baseline.

Contact pressure crosses files and campaigns, so everything is always loaded and checked;
the paths given only limit what is reported, and a finding is reported when any file that
contributes to it (its own, or a related one: a touch involved, the persona's cap, the channel
rule) is among them.

A file reports at most :data:`MAX_PER_RULE` findings of one rule (after configuration and
suppressions, before the baseline): the rest are one finding that says how many there are,
so that a list of 20,000 unknown ids is a page, not 20,000 findings in every output.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.findings import NOTHING, Finding, Level, exit_code, summary
from mcplan.lint import baseline as baselines
from mcplan.lint import config as lint_config
from mcplan.lint import runner, suppress
from mcplan.lint.context import LintContext
from mcplan.lint.registry import FAMILIES, matching
from mcplan.numbers import count, plural
from mcplan.workspace import Workspace, structure
from mcplan.workspace.reading import SourceLines
from mcplan.workspace.settings import LintSettings


@dataclass
class LintResult:
    """What a lint run found, and what the outputs need to show it."""

    findings: list[Finding]
    files: list[str]  # every workspace file, relative to its root
    lines: SourceLines  # the lines of those files, for snippets and fingerprints
    personas: int = 0
    campaigns: int = 0
    journeys: int = 0
    suppressed: int = 0
    baselined: int = 0
    not_shown: int = 0  # findings beyond MAX_PER_RULE in a file, each group said in one
    recorded: Path | None = None  # the baseline file written, when this run recorded one
    config_errors: list[Finding] = field(default_factory=list)
    # The level that fails the run (None: never); JUnit reports a finding below it as a
    # test that passes, with its message.
    fail_level: Level | None = Level.ERROR

    def exit_code(self, fail_level: Level | None) -> int:
        """2 for a configuration error or an unreadable file, 1 when a finding is at or
        above ``fail_level`` (None: never), 0 otherwise, and 0 when a baseline was recorded."""
        if self.config_errors:
            return 2
        if self.recorded is not None:
            return 0
        return exit_code(self.findings, fail_level)

    def summary(self) -> str:
        """The status line: ``2 errors in 1 file (3 suppressed)``."""
        if self.recorded is not None:
            return (
                f"recorded {plural(len(self.findings), 'finding')} in {self.recorded}; from now "
                "on only new ones are reported"
            )
        checked = [plural(self.personas, "persona"), plural(self.campaigns, "campaign")]
        checked += [plural(self.journeys, "journey")] if self.journeys else []
        counted = summary(self.findings) or f"no findings in {', '.join(checked)}"
        extras = []
        if self.not_shown:
            extras.append(f"{count(self.not_shown)} more not shown")
        if self.suppressed:
            extras.append(f"{count(self.suppressed)} suppressed")
        if self.baselined:
            extras.append(f"{count(self.baselined)} in the baseline")
        return counted + (f" ({', '.join(extras)})" if extras else "")


def lint(
    workspace: Workspace,
    *,
    paths: Sequence[str] | None = None,
    baseline: Path | None = None,
    update_baseline: bool = False,
    settings: LintSettings | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LintResult:
    """Lint the whole workspace; report findings that involve ``paths`` only (all when None).

    ``paths`` are relative to the workspace. With a ``baseline`` file, findings it lists are
    left out; when it does not exist yet (or ``update_baseline``), today's findings are
    recorded in it instead. ``jobs``: the processes that check campaigns (default: one per
    core for a large workspace, see `mcplan.lint.runner`); ``progress`` is called with
    (campaigns checked, campaigns) as they are.
    """
    config = settings or workspace.settings.lint
    result = LintResult(
        [],
        sorted(workspace.files),
        workspace.lines,
        len(workspace.personas),
        len(workspace.campaigns),
        len(workspace.journeys),
    )
    result.config_errors = [
        *(f for f in workspace.findings if _configures_lint(f, workspace)),
        *lint_config.problems(workspace),
    ]
    found, result.not_shown = capped(_checked(workspace, config, result, jobs, progress))
    record = baseline is not None and (update_baseline or not baseline.exists())
    if baseline is not None and not record:
        found, result.baselined = baselines.apply(found, baselines.read(baseline), result.lines)
    if paths is not None:
        shown = [workspace.prefix + p for p in paths]
        found = [f for f in found if _within(f.files, shown)]
    result.findings = sorted(found)
    if record and baseline is not None and not result.config_errors:
        baselines.write(baseline, result.findings, result.lines)
        result.recorded = baseline
    return result


def _checked(
    workspace: Workspace,
    config: LintSettings,
    result: LintResult,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> list[Finding]:
    """Every finding of the selected rules, configured, less the suppressed ones."""
    chosen = lint_config.selected(config)
    context = LintContext(workspace.checked())
    families = [family for family in FAMILIES if chosen & family.codes]
    found = _distinct(runner.run(context, families, jobs, progress))
    found = [
        configured
        for f in found
        if f.rule in chosen and (configured := lint_config.configured(f, config)) is not None
    ]
    found = [f for f in found if not _path_ignored(workspace.relative(f.location.file), f, config)]
    suppressions = suppress.read(result.lines, result.files)
    found, result.suppressed = suppress.apply(found, suppressions)
    if suppress.UNUSED_SUPPRESSION.code in chosen:
        unused = suppress.unused(suppressions, lambda code: bool(matching(code)))
        found += [f for u in unused if (f := lint_config.configured(u, config))]
    return found


# A person reads a few findings of one kind in a file, fixes them, and runs again; real
# workspaces have at most a dozen (pressure, in a busy campaign).
MAX_PER_RULE = 100


def capped(findings: Sequence[Finding], limit: int = MAX_PER_RULE) -> tuple[list[Finding], int]:
    """The findings, sorted, with at most ``limit`` of one rule in one file: the first ones,
    then one finding, where the next one is, that stands for them all (at the highest level
    among them). Also how many are not shown.

    Every output (text, JSON, SARIF…) and the baseline get this same list; it is decided by
    the findings alone, so two runs give the same one.
    """
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted(findings):
        groups.setdefault((finding.location.file, finding.rule), []).append(finding)
    kept: list[Finding] = []
    not_shown = 0
    for (_, rule), group in groups.items():
        kept += group[:limit]
        rest = group[limit:]
        if rest:
            not_shown += len(rest)
            message = (
                f"and {count(len(rest))} more {rule} findings in this file, not shown (at most "
                f"{count(limit)} of a rule are shown in a file)"
            )
            kept.append(
                dataclasses.replace(
                    rest[0],
                    level=max(f.level for f in rest),
                    message=message,
                    hint="fix the ones shown, often one mistake repeated, and run again",
                    related=(),
                    subject=NOTHING,
                )
            )
    return sorted(kept), not_shown


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One problem, one finding: the same rule and message at the same place (a template
    rendered once per persona fails once per persona) is reported once, about no persona."""
    kept: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        key = (finding.location, finding.rule, finding.message)
        first = kept.setdefault(key, finding)
        if first is not finding and first.subject.persona != finding.subject.persona:
            subject = dataclasses.replace(first.subject, persona=None)
            kept[key] = dataclasses.replace(first, subject=subject)
    return list(kept.values())


def validation(workspace: Workspace) -> LintResult:
    """What `mcplan validate` reports: the structure rules alone, at their default levels, and
    the lint configuration's selectors that name no rule."""
    found = [*structure.check(LintContext(workspace.checked())), *lint_config.problems(workspace)]
    shown, not_shown = capped(found)
    return LintResult(
        shown,
        sorted(workspace.files),
        workspace.lines,
        len(workspace.personas),
        len(workspace.campaigns),
        len(workspace.journeys),
        not_shown=not_shown,
    )


def validate(workspace: Workspace) -> list[Finding]:
    """Every structural finding of ``workspace``, sorted (see :func:`validation`)."""
    return validation(workspace).findings


def workspace_paths(workspace: Workspace, paths: Sequence[Path]) -> tuple[list[str], list[Path]]:
    """Files or folders given on the command line, relative to the workspace, and those
    outside it (a pre-commit hook passes every changed file its pattern matches, such as a
    `docs/personas/` elsewhere in the repository: they have nothing to report).

    Raises :class:`UsageError` for one that does not exist: a typo must not pass as a green
    run.
    """
    inside, outside = [], []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        try:
            inside.append(path.resolve().relative_to(workspace.root).as_posix())
        except ValueError:
            outside.append(path)
    return inside, outside


def _configures_lint(finding: Finding, workspace: Workspace) -> bool:
    """An error in the `[lint]` table: what lint would report is not known, a usage error.
    The rest of the settings file (brand, locale, caps) has findings like any file's."""
    in_settings = finding.location.file == workspace.settings_file
    about_lint = finding.message.startswith(("lint.", "lint:"))  # the key path comes first
    return in_settings and about_lint and finding.level is Level.ERROR


def _path_ignored(file: str, item: Finding, config: LintSettings) -> bool:
    return any(
        fnmatch.fnmatch(file, pattern) and any(item.rule in matching(s) for s in selectors)
        for pattern, selectors in config.per_path_ignores.items()
    )


def _within(files: frozenset[str], paths: Sequence[str]) -> bool:
    return any(
        file == p or file.startswith(p.rstrip("/") + "/") or p in ("", ".")
        for file in files
        for p in paths
    )


__all__ = [
    "MAX_PER_RULE",
    "LintResult",
    "capped",
    "lint",
    "validate",
    "validation",
    "workspace_paths",
]
