"""``python -m mcplan``, and the `mcplan` console script.

`mcplan --version` answers here, before the command line (typer, rich) is imported:
pre-commit hooks and CI ask it often.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from mcplan import __version__

        print(f"mcplan {__version__}")
        return
    from mcplan.cli import main as run

    run()


if __name__ == "__main__":
    main()
