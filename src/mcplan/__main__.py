"""``python -m mcplan``."""

from mcplan.cli import main

main()
