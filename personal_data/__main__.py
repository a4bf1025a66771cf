"""`python -m personal_data purge [--days N]` and `python -m personal_data forget <who>`.

Reads REDIS_URL (or the launcher's Redis) and DATA_AT_REST_KEY like every other part;
RETENTION_DAYS (default 90) is the purge's default age. Prints what it deleted.
"""

from __future__ import annotations

import argparse
import sys
import time

from contract.at_rest import sealer
from personal_data.erase import Eraser
from personal_data.settings import retention_days
from settings.env import Env
from tickets.store import connect


def main(argv: list[str] | None = None) -> int:
    """Runs one command; 0 when done."""
    env = Env()
    parser = argparse.ArgumentParser(prog="python -m personal_data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    purge = commands.add_parser("purge", help="delete conversations older than the retention")
    purge.add_argument("--days", type=int, default=retention_days(env))
    forget = commands.add_parser("forget", help="delete everything about one customer")
    forget.add_argument("who", help="the customer's email, or a conversation id")
    args = parser.parse_args(argv)

    eraser = Eraser(connect(env.redis_url(), timeout_s=10), sealer())
    if args.command == "purge":
        if args.days < 1:
            parser.error("--days must be at least 1")
        erased = eraser.purge(args.days, time.time())
        what = f"older than {args.days} days"
    else:
        erased = eraser.forget(args.who)
        what = "about that customer"
    print(f"deleted {erased.conversations} conversations and {erased.tickets} tickets {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
