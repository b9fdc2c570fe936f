"""The `tjanste` command's first step: the CLI imported with the cyclic collector held off, then frozen out of its searches.

What is imported here lives as long as the process, so the collector, run at Python's threshold while
it was imported, only searched it: about a hundredth of a one-case command. main() sets the collector
for what the command itself makes (see cli/main.py); tests call main() and never come here.
"""

from __future__ import annotations

import gc
from typing import NoReturn


def run() -> NoReturn:
    gc.disable()
    try:
        from tjanste.cli.main import run as run_command
    finally:
        gc.freeze()
        gc.enable()
    run_command()
