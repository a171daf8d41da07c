import sys

from hemei.cli import main

sys.exit(main())
