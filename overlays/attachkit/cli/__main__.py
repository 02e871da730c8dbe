"""`python -m attachkit.cli`: the same as the `attachkit` console script."""

from . import main

main()
