"""`python -m tjanste`: the same as the `tjanste` command."""

from tjanste.cli.start import run

run()
