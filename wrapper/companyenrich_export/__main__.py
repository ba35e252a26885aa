"""`python -m companyenrich_export`: the `companyenrich-export` command line."""

import sys

from companyenrich_export_cli import main

sys.exit(main())
