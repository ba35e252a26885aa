"""`python -m companyenrich_export`: the `companyenrich-export` command line."""

import sys

from ._cli import main

sys.exit(main())
