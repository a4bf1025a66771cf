"""`python -m web`: serve the demo shop page and the chat widget until interrupted."""

from __future__ import annotations

import sys

from web.server import serve
from web.settings import load_web_settings


def main() -> int:
    """Command-line entry point."""
    settings = load_web_settings()
    print(
        f"web: demo shop page with the chat widget on http://{settings.host}:{settings.port}",
        flush=True,
    )
    try:
        serve(settings)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
