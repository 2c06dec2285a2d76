"""What `mcplan lint` writes besides what it prints: the findings in each `--output` file,
and every finding in GitHub's step summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.lint.engine import LintResult
from mcplan.output import as_text
from mcplan.output.findings import EMITTERS, github
from mcplan.writing import write_atomic


def default_format(environ: Mapping[str, str]) -> str:
    """The findings format of a run that names none: `github` in a GitHub Actions job (its
    annotations), `text` elsewhere."""
    return "github" if github.in_actions(environ) else "text"


def write_outputs(result: LintResult, outputs: Sequence[tuple[str, Path]], root: Path) -> None:
    """Each ``(format, file)``: the findings in that format, written whole or not at all
    (never through a link out of ``root``); a UsageError for a file that cannot be."""
    for name, target in outputs:
        try:
            write_atomic(target, as_text(EMITTERS[name](result)), root=root, create=True)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def add_step_summary(result: LintResult, environ: Mapping[str, str]) -> str | None:
    """Every finding as a Markdown table at the end of the job's step summary, when GitHub
    gives one (it shows only ten annotations per step). What went wrong when it cannot be
    written, as a warning: the findings are out, the summary is a bonus."""
    summary_file = github.step_summary_file(environ)
    if summary_file is None:
        return None
    try:
        with summary_file.open("a", encoding="utf-8") as handle:
            handle.write(github.step_summary(result))
    except OSError as exc:
        return f"cannot write the step summary {summary_file}: {exc.strerror or exc}"
    return None
