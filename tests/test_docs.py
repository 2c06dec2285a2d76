"""The documentation cannot drift from the code: commands, options, rules, first commands."""

from __future__ import annotations

import re

import typer.main

from conftest import ROOT
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
