"""The documentation cannot drift from the code: commands, options, rules, first commands."""

from __future__ import annotations

import re
from collections.abc import Callable

import typer.main
import yaml
from typer.testing import Result

from conftest import BUNDLED_CHANNELS, CHANNEL_LIBRARY, ROOT, generated_part
from mcplan import __version__
from mcplan.cli import app

README = (ROOT / "README.md").read_text("utf-8")


def _commands() -> dict[str, typer.main.TyperCommand]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_and_option_has_help() -> None:
    for name, command in _commands().items():
        assert command.help, name
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{name} {param.name}"


def test_the_readme_tours_every_command() -> None:
    for name in _commands():
        assert f"mcplan {name}" in README, name


def test_the_readme_starts_with_setup_and_test_commands_that_ci_runs() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    setup, tests = first_block[1].strip().splitlines()
    assert setup.endswith("pip install -e . && mcplan plan")
    ci = (ROOT / ".ci" / "run").read_text("utf-8").replace("--quiet ", "")
    assert "pip install -e . && mcplan plan" in ci
    assert tests in ci


def test_the_tour_says_what_validate_says_today(
    run: Callable[..., Result], update_goldens: bool
) -> None:
    said = run("validate", "-w", str(ROOT)).stderr
    if update_goldens:
        readme = ROOT / "README.md"
        line = r"(\$ mcplan validate\n)mcplan: workspace valid: [^\n]*\n"
        tour = re.sub(line, rf"\g<1>{said}", readme.read_text("utf-8"), count=1)
        readme.write_text(tour, encoding="utf-8")
    else:
        assert f"$ mcplan validate\n{said}```" in README


def _channel_table() -> str:
    rows = ["| Channel | id | looks like |", "| --- | --- | --- |"]
    for channel_id in BUNDLED_CHANNELS:
        channel = yaml.safe_load((CHANNEL_LIBRARY / f"{channel_id}.yaml").read_text("utf-8"))
        link = f"docs/channels.md#{channel['id']}"
        rows.append(f"| [{channel['name']}]({link}) | `{channel['id']}` | {channel['kind']} |")
    return "\n".join(rows) + "\n"


def test_the_readme_lists_the_bundled_channels(update_goldens: bool) -> None:
    generated_part(
        ROOT / "README.md",
        "<!-- channels: generated from the library; `python -m pytest --update-goldens` -->",
        "<!-- end of the channels -->",
        _channel_table(),
        update_goldens,
    )


def test_releases_install_from_a_tag_the_changelog_and_pre_commit_name() -> None:
    """mcplan is not on the package index: every install names a release tag of the
    repository, the one of the current version, which the changelog describes."""
    tag = f"v{__version__}"
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert f"\n## {__version__} (" in changelog
    assert f"    rev: {tag}\n" in README
    assert f"uses: mcplan/mcplan@{tag} " in README
    installs = re.findall(r"pip install '(mcplan[^']*)'", README + changelog)
    assert len(installs) >= 3
    for install in installs:
        assert install.endswith(f" @ git+https://github.com/mcplan/mcplan@{tag}"), install
