"""`python -m smartspec_tk.backend` / `smartspec-tk backend`: run the reference backend."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from smartspec_tk.backend.config import parse_config
    from smartspec_tk.backend.server import serve

    config = parse_config(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return serve(config)
    except OSError as exc:
        print(f"smartspec-tk backend: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
