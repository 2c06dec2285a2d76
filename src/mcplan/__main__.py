"""``python -m mcplan``, and the `mcplan` console script.

`mcplan --version` answers here, before the command line (typer, rich) is imported:
pre-commit hooks and CI ask it often.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from mcplan import __version__

        try:
            print(f"mcplan {__version__}", flush=True)
        except BrokenPipeError:  # `mcplan --version | true`: as the command line does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        return
    from mcplan.cli import main as run

    run()


if __name__ == "__main__":
    main()
