"""PyInstaller entry point: the frozen binary runs the same command line as `python -m smartspec_tk`.

First the bootloader's LD_LIBRARY_PATH and `_PYI_*` variables leave os.environ, so
every program the app starts (browser, file manager, shells) gets the user's
environment; see `smartspec_tk.core.frozen`.
"""

import sys

from smartspec_tk.core.frozen import restore_user_environment

if __name__ == "__main__":
    restore_user_environment()
    from smartspec_tk.app import main

    sys.exit(main())
