"""`python -m mt` runs the jisr command line."""

from mt.cli import main

main()
