"""python -m nodkort: the same command line as the `nodkort` script."""

from nodkort.cli import main

main()
