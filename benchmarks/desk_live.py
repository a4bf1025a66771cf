"""How the agent desk's live pages scale: threads, update latency, idle cost, page loads.

    .venv/bin/python -m benchmarks.desk_live                 # 10, 40 and 60 open pages
    .venv/bin/python -m benchmarks.desk_live --pages 10,100 --changes 8

It starts a real Redis, the desk as `python -m agent_desk` (waitress, as `make run` serves it)
and the loopback Rasa stand-in of the desk tests (harness/fake_rasa.py), opens that many
live pages (half queue pages, half conversation pages, all signed in), and prints per size:
- the desk's thread count (/proc) and how many pages got their first update;
- how long a page load (GET /api/queue) takes while they are open;
- the delay from a ticket change in Redis to every open queue page hearing of it, and from a
  customer's message (written to the tracker's Redis list as our tracker store writes it)
  to every conversation page showing it (median and worst over `--changes` changes);
- what the open pages cost while nothing happens: desk CPU seconds, Redis commands and
  tracker reads from Rasa, over `--idle` seconds.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
import requests

from contract import keys
from harness.desk_forms import PASSWORD, token_in
from harness.fake_rasa import TOKEN, FakeRasa, running_fake_rasa
from harness.helpers import free_port
from harness.redis_server import RedisServer
from harness.ticket_helpers import draft, write_desk_config
from launcher.settings import PROJECT_ROOT
from tickets.store import TicketStore, connect

FIRST_EVENT_TIMEOUT_S = 10.0
PAGE_LOAD_TIMEOUT_S = 10.0


def proc_figure(pid: int, name: str) -> int:
    """A `Name: value` line of /proc/<pid>/status (Threads ...)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return -1


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Page:
    """One open live page: a thread reading its event stream, noting when each event came."""

    def __init__(self, session: requests.Session, url: str) -> None:
        self.url = url
        self.events: list[tuple[float, str]] = []
        self.first = threading.Event()
        self._response: requests.Response | None = None
        self._closed = False
        self._retry_s = 1.0
        self._thread = threading.Thread(target=self._read, args=(session, url), daemon=True)
        self._thread.start()

    def _read(self, session: requests.Session, url: str) -> None:
        """Like a browser's EventSource: reads the stream, and reconnects when it ends."""
        while not self._closed:
            try:
                with session.get(url, stream=True, timeout=(5, 120)) as response:
                    self._response = response
                    pending = ""
                    # chunk_size=None: each piece as it arrives (iter_lines waits for 512 bytes).
                    for piece in response.iter_content(chunk_size=None, decode_unicode=True):
                        *lines, pending = (pending + piece).split("\n")
                        for line in lines:
                            if line.startswith("retry: "):
                                self._retry_s = int(line[len("retry: ") :]) / 1000
                            if line.startswith("data: "):
                                self.events.append((time.monotonic(), line))
                                self.first.set()
            except (requests.RequestException, AttributeError):
                pass
            time.sleep(self._retry_s)

    def heard(self, marker: str, since: float, deadline: float) -> float | None:
        """Seconds from `since` to the first event containing `marker`, or None."""
        while True:
            for at, line in list(self.events):
                if at >= since and marker in line:
                    return at - since
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.005)

    def close(self) -> None:
        self._closed = True
        if self._response is not None:
            self._response.close()


@contextmanager
def running_desk(workdir: Path, redis_url: str, rasa_url: str) -> Iterator[tuple[int, str]]:
    """`python -m agent_desk` on a free port; (pid, base URL)."""
    port = free_port()
    env = {
        **os.environ,
        "RASA_API_TOKEN": TOKEN,
        "RASA_URL": rasa_url,
        "REDIS_URL": redis_url,
        "SHOP_URL": "http://127.0.0.1:9",
        "DESK_PORT": str(port),
        "DESK_SECRET_KEY": "bench-secret",
        "VAR_DIR": str(workdir / "var"),
        "DESK_CONFIG": str(write_desk_config(workdir / "desk.yml")),
    }
    log = (workdir / "desk.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "agent_desk"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((workdir / "desk.log").read_text()[-2000:])
            time.sleep(0.2)
        yield process.pid, base
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def signed_in(base: str) -> requests.Session:
    session = requests.Session()
    token = token_in(session.get(f"{base}/login").text)
    form = {"username": "alex", "password": PASSWORD, "csrf_token": token}
    session.post(f"{base}/login", data=form, allow_redirects=False).raise_for_status()
    return session


def customer_message(client: redis.Redis, fake: FakeRasa, conversation: str, text: str) -> str:
    """A message as Rasa would store it: in the fake's tracker and in the Redis event list."""
    event = {"event": "user", "text": text, "timestamp": time.time()}
    fake.events[conversation].append(event)
    client.rpush(keys.tracker_events(conversation), json.dumps(event))
    return json.dumps(text)


def latencies(pages: list[Page], change: Callable[[int], str], count: int) -> list[float]:
    """Worst delay over `pages` for each of `count` changes (`change` returns what the pages
    will show), spaced at random moments so they fall anywhere in a polling interval."""
    worst = []
    for n in range(count):
        time.sleep(random.uniform(0.2, 1.5))
        since = time.monotonic()
        marker = change(n)
        deadline = time.monotonic() + 20.0
        heard = [page.heard(marker, since, deadline) for page in pages]
        worst.append(max(h if h is not None else float("inf") for h in heard))
    return worst


def open_pages(session: requests.Session, base: str, reference: str, size: int) -> list[Page]:
    """Half queue pages, half pages of one conversation; waits for their first figures."""
    pages = [Page(session, f"{base}/api/queue/events") for _ in range(size // 2)]
    conversation = f"{base}/api/tickets/{reference}/events"
    pages += [Page(session, conversation) for _ in range(size - size // 2)]
    deadline = time.monotonic() + FIRST_EVENT_TIMEOUT_S
    for page in pages:
        page.first.wait(max(0.0, deadline - time.monotonic()))
    return pages


def page_load(base: str, session: requests.Session) -> str:
    """How long GET /api/queue takes now."""
    started = time.monotonic()
    try:
        session.get(f"{base}/api/queue", timeout=PAGE_LOAD_TIMEOUT_S)
    except requests.Timeout:
        return f"no answer in {PAGE_LOAD_TIMEOUT_S:.0f} s"
    return f"{(time.monotonic() - started) * 1000:.0f} ms"


def idle_cost(pid: int, client: redis.Redis, reads: list[int], seconds: float) -> dict[str, float]:
    """Desk CPU, Redis commands and Rasa tracker reads over `seconds` of nothing happening."""
    cpu, commands, read = (
        cpu_seconds(pid),
        client.info("stats")["total_commands_processed"],
        reads[0],
    )
    time.sleep(seconds)
    return {
        "desk_cpu_s": round(cpu_seconds(pid) - cpu, 2),
        "redis_commands": client.info("stats")["total_commands_processed"] - commands - 1,
        "rasa_tracker_reads": reads[0] - read,
    }


def counting_reads(fake: FakeRasa) -> list[int]:
    """Counts the tracker reads the fake Rasa answers (one slot, updated in place)."""
    reads = [0]
    tracker = fake.tracker

    def counted(conversation: str) -> dict[str, object]:
        reads[0] += 1
        return tracker(conversation)

    fake.tracker = counted  # type: ignore[method-assign,assignment]
    return reads


def measure(size: int, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    """One run with `size` open pages on a fresh Redis and desk."""
    redis_server = RedisServer(workdir / "redis")
    redis_server.start()
    try:
        with running_fake_rasa() as fake:
            reads = counting_reads(fake)
            with running_desk(workdir, redis_server.url, fake.base_url) as (pid, base):
                client = connect(redis_server.url)
                store = TicketStore(client, 600)
                ticket, _ = store.open_ticket(draft("bench-1"))
                fake.events["bench-1"].append({"event": "pause", "timestamp": time.time()})
                session = signed_in(base)
                threads_idle = proc_figure(pid, "Threads")
                pages = open_pages(session, base, ticket.reference, size)
                figures: dict[str, object] = {
                    "pages": size,
                    "threads_idle": threads_idle,
                    "threads_open": proc_figure(pid, "Threads"),
                    "pages_live": sum(page.first.is_set() for page in pages),
                    "page_load": page_load(base, session),
                    f"idle_{args.idle:.0f}s": idle_cost(pid, client, reads, args.idle),
                }
                live = [page for page in pages if page.first.is_set()]
                queue = [page for page in live if page.url.endswith("/api/queue/events")]
                talk = [page for page in live if page not in queue]

                def new_ticket(n: int) -> str:
                    return json.dumps(store.open_ticket(draft(f"bench-new-{n}"))[0].reference)

                def message(n: int) -> str:
                    return customer_message(client, fake, "bench-1", f"hello-{n}")

                figures["ticket_to_queue_s"] = summary(latencies(queue, new_ticket, args.changes))
                figures["message_to_page_s"] = summary(latencies(talk, message, args.changes))
                for page in pages:
                    page.close()
                return figures
    finally:
        redis_server.stop()


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "worst": round(max(values), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.desk_live", description=__doc__)
    parser.add_argument("--pages", default="10,40,60", help="open pages per run, comma-separated")
    parser.add_argument("--changes", type=int, default=6, help="changes timed per run")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of quiet measured")
    args = parser.parse_args()
    for size in (int(n) for n in args.pages.split(",")):
        with tempfile.TemporaryDirectory(prefix="desk-live-") as tmp:
            print(json.dumps(measure(size, args, Path(tmp))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
