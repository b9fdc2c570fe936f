"""`python -m tjanste`: the same as the `tjanste` command."""

from tjanste.cli.main import run

run()
