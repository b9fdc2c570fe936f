"""`python -m tjanste`: the same as the `tjanste` command."""

from .cli import run

run()
