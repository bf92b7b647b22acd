"""`python -m mt` runs the jisr command line."""

from mt.app.cli import main

main()
