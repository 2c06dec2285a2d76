"""The `mcplan` command line: each command parses its options, calls the library, reports and
exits. The library never imports this package."""

import importlib

from mcplan.cli.app import app

# Importing a module registers its commands; `mcplan --help` lists them in this order.
for _module in ("workspace", "render", "lint", "plan", "attribute", "report"):
    importlib.import_module(f"mcplan.cli.{_module}")


def main() -> None:
    """Entry point of the `mcplan` console script."""
    app()


__all__ = ["app", "main"]
