import sys

from hemei.cli import main

if __name__ == "__main__":  # not again in a spawned process (Windows, parallel verify)
    sys.exit(main())
