"""A hostile pull request, case by case, run as CI runs mcplan: each command as a process of its
own, in a git repository whose workspace is a subfolder (as the Action's is when its
`workspace` input names one), with a fake secret in the environment and beside the checkout.

Run: python benchmarks/pull_request.py [--only NAME]

Each case prints its exit code, its seconds and its peak memory as a ratio of a plain
`mcplan validate` of the same workspace measured in the same run, and what it checks: nothing
ran (a marker file a payload would create), no secret in any output, nothing written or changed
outside, no escape sequence, no traceback. A case passes when all hold, its exit is 0, 1 or 2,
and it ends within 20 s and 1 GB (docs/security.md).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "workspaces" / "markets" / "clean"
SECRET = "hunter2-ci-secret"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LIMIT_SECONDS, LIMIT_MB = 20, 1024


@dataclass
class Case:
    """A checkout with the pull request's files, and the command CI runs on it."""

    top: Path  # the repository
    ws: Path  # the workspace: top/marketing
    outside: Path  # a folder outside the checkout, which nothing may change
    args: list[str] = field(default_factory=list)
    marker: Path | None = None  # a file that exists only if a payload ran
    expect: str | None = None  # what the output must say (the finding that reports it)
    forbid: str | None = None  # a pattern no line of the output may match

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.ws / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    def commit(self, message: str = "base") -> None:
        git(self.top, "add", "-A")
        git(self.top, "commit", "-qm", message)


def git(top: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=top,
        check=True,
        capture_output=True,
    )


def _campaign(headline: str = "Vélos de Pâques", extra: str = "", body: str = "Au jardin") -> str:
    """A campaign to the persona of Paris by e-mail and SMS (the e-mail's HTML is compiled)."""
    return (
        f"personas: [paris]\nmessage:\n  headline: {headline}\n  body: {body}\n"
        "  url: https://velocita.be/paques\n  starts: 2028-04-10\n  ends: 2028-04-20\n"
        "touches:\n  - {channel: email, at: 2028-04-12T10:00}\n"
        f"  - {{channel: sms, at: 2028-04-14T10:00}}\n{extra}"
    )


# -- the cases: each edits the checkout and sets the command ----------------------------------


def diff_runs_a_promisor_remote(case: Case) -> None:
    """Item 1: a bare-repository skeleton in the workspace, whose promisor remote runs a
    command when git needs the missing object."""
    case.marker = case.outside / "PWNED"
    for name in ("objects/info", "objects/pack", "refs/heads", "refs/tags"):
        (case.ws / name).mkdir(parents=True, exist_ok=True)
    case.write("HEAD", "ref: refs/heads/main\n")
    case.write(
        "config",
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n"
        f"\tworktree = {case.ws}\n\tsshCommand = touch {case.marker}\n"
        f"\tfsmonitor = touch {case.marker}\n"
        "[extensions]\n\tpartialClone = origin\n"
        '[remote "origin"]\n\turl = ssh://example.com/x\n\tpromisor = true\n',
    )
    case.write("packed-refs", "1111111111111111111111111111111111111111 refs/heads/main\n")
    case.args = ["diff", "HEAD", "-w", str(case.ws)]


def diff_with_worktree_usr(case: Case) -> None:
    diff_runs_a_promisor_remote(case)
    case.write("config", "[core]\n\trepositoryformatversion = 0\n\tworktree = /usr\n")


def results_link_to_environ(case: Case) -> None:
    """Item 2: a committed results file linked to the process's environment."""
    (case.ws / "results").mkdir()
    (case.ws / "results" / "x.csv").symlink_to("/proc/self/environ")
    case.args = ["report", "paques", "-r", str(case.ws / "results" / "x.csv"), "-w", str(case.ws)]


def touches_link_to_credentials(case: Case) -> None:
    (case.ws / "results").mkdir()
    (case.ws / "results" / "touches.csv").symlink_to(case.outside / "credentials")
    case.args = ["attribute", str(case.ws / "results" / "touches.csv"), "-w", str(case.ws)]


def render_out_is_a_link(case: Case) -> None:
    """Item 3: a committed folder link as render's output folder."""
    (case.top / "out").symlink_to(case.outside)
    case.args = ["render", "paques", "--out", "out", "--force", "-w", str(case.ws)]


def lint_output_through_a_link(case: Case) -> None:
    (case.top / "reports").symlink_to(case.outside)
    case.args = ["lint", "--output", "sarif=reports/x.sarif", "-w", str(case.ws)]


def lint_output_link_to_a_setuid_file(case: Case) -> None:
    program = case.outside / "program"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o4755)
    (case.top / "lint.json").symlink_to(program)
    case.args = ["lint", "--output", "json=lint.json", "-w", str(case.ws)]


def _template(body: str) -> Callable[[Case], None]:
    def edit(case: Case) -> None:
        quoted = "'" + body.replace("'", "''") + "'"
        case.write("campaigns/paques.yaml", _campaign(extra=f"templates:\n  sms: {quoted}\n"))
        case.args = ["render", "paques", "-w", str(case.ws)]
        case.expect = "T103"

    edit.__doc__ = f"Item 4: the SMS template {body[:50]}…"
    return edit


NESTED = "{% set a = [1] %}" + "{% set a = [a, a] %}" * 60 + "{{ a }}"
WIDE = "{{ ['x' * 100000] * 100000 }}"


def output_link_to_a_world_writable_folder(case: Case) -> None:
    (case.top / "mcplan.sarif").symlink_to(case.outside / "world")
    case.args = ["lint", "--output", "sarif=mcplan.sarif", "-w", str(case.ws)]


def parquet_folder_with_a_link_out(case: Case) -> None:
    """Item 2: a Parquet folder whose file is a link out of it."""
    _parquet(case.outside / "secret.parquet", f"'{SECRET}' AS journey_id")
    (case.ws / "events").mkdir()
    (case.ws / "events" / "part-0.parquet").symlink_to(case.outside / "secret.parquet")
    case.args = ["attribute", str(case.ws / "events"), "-w", str(case.ws)]


def _parquet(path: Path, columns: str) -> None:
    import duckdb  # a dependency of mcplan

    duckdb.sql(f"COPY (SELECT {columns}) TO '{path}' (FORMAT parquet)")


def _events(value: str, *, engine: str = "memory") -> Callable[[Case], None]:
    """Item 5: a touch log whose time is a value Python has no type for."""

    def edit(case: Case) -> None:
        columns = f"'j1' AS journey_id, {value} AS timestamp, 'email' AS channel"
        _parquet(case.ws / "log.parquet", columns + ", 'conversion' AS event")
        case.args = ["attribute", str(case.ws / "log.parquet"), "--engine", engine]

    return edit


def corrupt_parquet(case: Case) -> None:
    """Item 5: a Parquet file whose data page is overwritten, read by DuckDB."""
    path = case.ws / "log.parquet"
    _parquet(
        path,
        "'j' || range AS journey_id, TIMESTAMP '2027-01-01' + range * INTERVAL 1 MINUTE AS "
        "timestamp, 'email' AS channel, 'touch' AS event FROM range(10000)",
    )
    data = bytearray(path.read_bytes())
    data[200:400] = b"\xff" * 200
    path.write_bytes(bytes(data))
    case.args = ["attribute", str(path)]


def layout_loads_remote_css(case: Case) -> None:
    """Item 7: a layout that imports a remote stylesheet."""
    case.write(
        "layout.mjml",
        "<mjml><mj-head><mj-style>@import url(https://evil.example/x.css);</mj-style></mj-head>"
        "<mj-body><mj-section><mj-column><mj-text>{{ m.headline }}</mj-text></mj-column>"
        "</mj-section></mj-body></mjml>",
    )
    settings = (case.ws / "mcplan.toml").read_text()
    case.write("mcplan.toml", settings + 'layout = "layout.mjml"\n')  # in [email]
    case.args = ["lint", "-w", str(case.ws)]
    case.expect = "E111"


def layout_crashes_mrml(case: Case) -> None:
    """Item 5: a workspace layout with nested loops inside <mj-raw>."""
    case.write(
        "layout.mjml",
        "<mjml><mj-body><mj-raw>{% for a in range(100) %}{% for b in range(100) %}<b>"
        "{% endfor %}{% endfor %}</mj-raw></mj-body></mjml>",
    )
    settings = (case.ws / "mcplan.toml").read_text()
    case.write("mcplan.toml", settings + 'layout = "layout.mjml"\n')  # in [email]
    case.args = ["lint", "-w", str(case.ws)]


def copy_with_control_characters(case: Case) -> None:
    case.write("campaigns/paques.yaml", _campaign('"V\\x01los \\uFFFE de Pâques"'))
    case.args = ["lint", "-w", str(case.ws)]  # compiles every e-mail's HTML


def broken_ipv6_link(case: Case) -> None:
    case.write("campaigns/paques.yaml", _campaign(body="'Voir https://[::1 maintenant'"))
    case.args = ["lint", "-w", str(case.ws)]


def a_4301_digit_size(case: Case) -> None:
    path = case.ws / "personas" / "paris.yaml"
    text = re.sub(r"size: \d+", "size: " + "9" * 4301, path.read_text())
    path.write_text(text)
    case.args = ["validate", "-w", str(case.ws)]


def a_4301_digit_cap(case: Case) -> None:
    settings = (case.ws / "mcplan.toml").read_text()
    case.write("mcplan.toml", settings + "\n[pressure]\nmax_per_week = " + "9" * 4301 + "\n")
    case.args = ["validate", "-w", str(case.ws)]


def file_and_folder_of_one_name(case: Case) -> None:
    """Item 5: a base revision that holds campaigns/x.yaml as a file, then as a folder."""
    case.write("campaigns/x.yaml/y.yaml", _campaign())
    case.commit("folder")
    shutil.rmtree(case.ws / "campaigns" / "x.yaml")
    case.write("campaigns/x.yaml", _campaign())
    case.args = ["diff", "HEAD~1", "-w", str(case.ws)]


def personas_listed_20000_times(case: Case) -> None:
    """Item 6: one 60 KB line quoted under each of its findings."""
    names = ", ".join(f"x{n}" for n in range(20_000))
    case.write("campaigns/paques.yaml", _campaign() + f"personas: [{names}]\n")
    case.args = ["validate", "-w", str(case.ws)]


def one_blob_1200_times(case: Case) -> None:
    """Item 6: the same 1 MB file at 1,200 paths of a revision (2 MB of git objects)."""
    blob = ("# " + "x" * 1021 + "\n") * 1023
    for n in range(1200):
        case.write(f"campaigns/c{n}.yaml", blob)
    case.commit("big")
    for n in range(1200):
        (case.ws / "campaigns" / f"c{n}.yaml").unlink()
    case.args = ["diff", "HEAD", "-w", str(case.ws)]


def one_file_1200_times_in_the_work_tree(case: Case) -> None:
    blob = ("# " + "x" * 1021 + "\n") * 1023
    for n in range(1200):
        case.write(f"campaigns/c{n}.yaml", blob)
    case.args = ["lint", "-w", str(case.ws)]


def escape_sequences_in_names(case: Case) -> None:
    """Item 7: a file name and a value with terminal escape sequences."""
    case.write("personas/a\x1b]0;owned\x07\x1b[2J.yaml", 'name: "\\e[2J"\n')
    case.args = ["lint", "-f", "concise", "-w", str(case.ws)]


def markdown_forged_heading(case: Case) -> None:
    case.write("campaigns/x.yaml", _campaign() + '"a\\n\\n## mcplan: no findings": 1\n')
    case.args = ["diff", "HEAD", "-f", "markdown", "-w", str(case.ws)]
    case.forbid = r"(?m)^#+ mcplan: no findings"


def javascript_unsubscribe(case: Case) -> None:
    settings = (case.ws / "mcplan.toml").read_text().replace("*|UNSUB|*", "javascript:alert(1)")
    case.write("mcplan.toml", settings)
    case.args = ["lint", "-w", str(case.ws)]
    case.expect = "S203"


def folder_named_yaml(case: Case) -> None:
    (case.ws / "campaigns" / "x.yaml").mkdir()
    case.args = ["validate", "-w", str(case.ws)]
    case.expect = "S108"


CASES: dict[str, Callable[[Case], None]] = {
    "diff: promisor remote": diff_runs_a_promisor_remote,
    "diff: core.worktree=/usr": diff_with_worktree_usr,
    "report: results -> environ": results_link_to_environ,
    "attribute: touches -> credentials": touches_link_to_credentials,
    "render --out: a folder link": render_out_is_a_link,
    "lint --output: a folder link": lint_output_through_a_link,
    "lint --output: a setuid link": lint_output_link_to_a_setuid_file,
    "template: nested doubling": _template(NESTED),
    "template: 10 GB list": _template(WIDE),
    "template: |tojson": _template("{{ (['x' * 100000] * 100000)|tojson }}"),
    "template: |pprint": _template("{{ (['x' * 100000] * 100000)|pprint }}"),
    "template: |map|join": _template("{{ (['x' * 100000] * 100000)|map('upper')|join }}"),
    "template: sum(start=[])": _template("{{ sum([[1] * 1000] * 1000, start=[]) }}"),
    "template: {{ namespace }}": _template("{{ namespace }}"),
    "template: {{ self }}": _template("{{ self }}"),
    "lint --output: a 1777 folder link": output_link_to_a_world_writable_folder,
    "attribute: a Parquet folder link": parquet_folder_with_a_link_out,
    "attribute: an infinite time": _events("'infinity'::TIMESTAMP"),
    "attribute: the largest UBIGINT": _events("18446744073709551615::UBIGINT"),
    "attribute: a corrupt Parquet page": corrupt_parquet,
    "layout: a remote @import": layout_loads_remote_css,
    "layout: nested for in mj-raw": layout_crashes_mrml,
    "copy: U+0001, U+FFFE": copy_with_control_characters,
    "text: https://[::1": broken_ipv6_link,
    "persona: 4,301 digits": a_4301_digit_size,
    "mcplan.toml: 4,301 digits": a_4301_digit_cap,
    "diff: a file and a folder": file_and_folder_of_one_name,
    "validate: 20,000 personas": personas_listed_20000_times,
    "diff: a blob 1,200 times": one_blob_1200_times,
    "lint: a file 1,200 times": one_file_1200_times_in_the_work_tree,
    "output: escape sequences": escape_sequences_in_names,
    "diff markdown: a forged heading": markdown_forged_heading,
    "[email]: javascript:": javascript_unsubscribe,
    "folder named x.yaml": folder_named_yaml,
}


# -- running ----------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    seconds: float
    mb: float
    output: str


def run(args: list[str], cwd: Path, home: Path) -> Run:
    """One process, as CI starts it: its exit code, seconds, peak memory and output."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "CI_TOKEN": SECRET,
        "COLUMNS": "80",
        "LANG": "C.UTF-8",
        **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},  # another checkout's
    }
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mcplan", *args], cwd=cwd, env=env, stdout=out, stderr=out
        )
        peak = 0  # kB: the process's high-water mark, read until it ends
        while process.poll() is None:
            peak = max(peak, _peak(process.pid))
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Run(process.returncode, seconds, peak / 1024, output)


def _peak(pid: int) -> int:
    """VmHWM of a process and its children (lint's workers), in kB; 0 once it is gone."""
    total = 0
    for each in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmHWM:\s+(\d+)", status)[1]) if "VmHWM" in status else 0
    return total


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every entry under ``folder``: its mode and content (a link: its target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[str(path)] = (info.st_mode, os.readlink(path).encode())
        elif stat.S_ISREG(info.st_mode):
            found[str(path)] = (info.st_mode, path.read_bytes())
        else:
            found[str(path)] = (info.st_mode, b"")
    return found


def prepare(folder: Path) -> Case:
    top, outside = folder / "checkout", folder / "outside"
    outside.mkdir()
    (outside / "credentials").write_text(f"https://ci:{SECRET}@example.com\n")
    (outside / "world").mkdir(mode=0o777)
    (outside / "world").chmod(0o1777)
    shutil.copytree(SOURCE, top / "marketing")
    paris = top / "marketing" / "personas" / "paris.yaml"
    paris.write_text(paris.read_text() + "  email: {reach: 0.9, affinity: 0.6, consent: opt_in}\n")
    (top / "marketing" / "campaigns" / "paques.yaml").write_text(_campaign())
    git(top, "init", "-q")
    case = Case(top, top / "marketing", outside)
    case.commit()
    return case


def check(case: Case, result: Run, before: dict[str, tuple[int, bytes]]) -> list[str]:
    """What went wrong, if anything."""
    problems = []
    if result.code not in (0, 1, 2):
        problems.append(f"exit {result.code}")
    if case.marker is not None and case.marker.exists():
        problems.append("a payload ran")
    if SECRET in result.output:
        problems.append("a secret in the output")
    if snapshot(case.outside) != before:
        problems.append("something outside changed")
    if CONTROL.search(result.output):
        problems.append("a control character in the output")
    modes = [path for path in case.top.rglob("*") if _unsafe_mode(path)]
    if modes:
        problems.append(f"{modes[0].name} written with mode {modes[0].lstat().st_mode:o}")
    if case.expect is not None and case.expect not in result.output:
        problems.append(f"no {case.expect}")
    if case.forbid is not None and re.search(case.forbid, result.output):
        problems.append("a forged line")
    if "Traceback" in result.output or "internal error" in result.output:
        problems.append("a crash")
    if result.seconds > LIMIT_SECONDS:
        problems.append(f"{result.seconds:.0f} s")
    if result.mb > LIMIT_MB:
        problems.append(f"{result.mb:.0f} MB")
    return problems


def _unsafe_mode(path: Path) -> bool:
    """A file (not a link) that anyone may write, or setuid, setgid or sticky."""
    if ".git" in path.parts:
        return False
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and bool(info.st_mode & 0o7002)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    chosen = parser.parse_args().only
    with tempfile.TemporaryDirectory() as folder:
        case = prepare(Path(folder))
        base = run(["validate", "-w", str(case.ws)], case.top, Path(folder))
    print(f"a plain `mcplan validate`: {base.seconds:.2f} s, {base.mb:.0f} MB (= 1×)")
    failed = 0
    for name, edit in CASES.items():
        if chosen and chosen not in name:
            continue
        with tempfile.TemporaryDirectory() as folder:
            case = prepare(Path(folder))
            edit(case)
            before = snapshot(case.outside)
            result = run(case.args, case.top, Path(folder))
            problems = check(case, result, before)
        failed += bool(problems)
        verdict = "ok" if not problems else "FAILED: " + ", ".join(problems)
        print(
            f"{name:36} exit {result.code:3}  {result.seconds / base.seconds:5.1f}× the time "
            f"{result.mb / base.mb:4.1f}× the memory  {verdict}"
        )
    print(f"{failed} case(s) failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
