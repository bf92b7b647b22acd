"""`python -m mt` runs the jisr CLI."""

from mt.cli import app

app()
