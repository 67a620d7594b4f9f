"""PyInstaller entry point: the frozen binary runs the same command line as `python -m smartspec_tk`."""

import sys

from smartspec_tk.app import main

if __name__ == "__main__":
    sys.exit(main())
