"""`python -m tjanste`: the same as the `tjanste` command."""

import sys

from .cli import main

sys.exit(main())
