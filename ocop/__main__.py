"""`python -m ocop` runs the `ocop` command."""

from ocop.cli import run

run()
