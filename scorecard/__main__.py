"""``python -m scorecard``: the command line (:mod:`scorecard.cli`)."""

import sys

from scorecard.cli import main

if __name__ == "__main__":
    sys.exit(main())
