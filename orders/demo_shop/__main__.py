"""`python -m orders.demo_shop`: seed a fresh database and serve the shop with waitress.

Environment: SHOP_HOST (127.0.0.1), SHOP_PORT (8071), SHOP_DB (./var/shop.sqlite3),
SHOP_RETURN_WINDOW_DAYS (30). The database is reseeded at every start, dated from today.
"""

from __future__ import annotations

from datetime import date

import waitress

from orders.demo_shop.app import create_app
from orders.demo_shop.db import Store
from orders.demo_shop.seed import seed
from settings.env import PROJECT_ROOT, Env


def main() -> None:
    """Seed, then serve until interrupted."""
    env = Env()
    host = env.host("SHOP_HOST")
    port = env.port("SHOP_PORT")
    window_days = env.integer("SHOP_RETURN_WINDOW_DAYS", 30)
    db_path = env.path("SHOP_DB", PROJECT_ROOT / "var" / "shop.sqlite3").resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    seed(Store(db_path), date.today())
    app = create_app(db_path, return_window_days=window_days)
    server = waitress.create_server(app, host=host, port=port, threads=8)  # binds now
    print(f"shop listening on http://{host}:{port} (database {db_path})", flush=True)
    server.run()


if __name__ == "__main__":
    main()
