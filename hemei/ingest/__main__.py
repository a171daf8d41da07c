"""``python -m hemei.ingest FILE [--json] [--year YYYY]``."""

import sys

from hemei.ingest.cli import main

sys.exit(main())
