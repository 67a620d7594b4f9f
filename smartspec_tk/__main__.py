"""`python -m smartspec_tk` runs the app (see `app.main`)."""

import sys

from smartspec_tk.app import main

sys.exit(main())
