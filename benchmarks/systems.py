"""The two bots under test, each started on free ports and stopped afterwards.

Ours is the whole system as `make run` starts it (launcher.stack.Stack), with its state in a
temporary directory; `ours_x2` is the same with two Rasa and two action servers behind HAProxy
(`RASA_INSTANCES=2 ACTION_INSTANCES=2 make run`). The baseline is Rasa's own example bot,
created by `rasa init` and trained with Rasa's default configuration; the trained project is
kept under var/bench/, one per Rasa version, because training it takes a minute or two.
"""

from __future__ import annotations

import fcntl
import math
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import redis

from contract import keys
from harness.helpers import free_port
from launcher.process import Child, Service, http_ok
from launcher.settings import PROJECT_ROOT, StackSettings, load_stack_settings
from launcher.stack import PYTHON, QUIET_ENV, Stack
from settings.env import Env

Say = Callable[[str], None]
BENCH_DIR = PROJECT_ROOT / "var" / "bench"
# A model load took over 180 s on a 2-core machine shared with other test runs (load 9-12).
STOCK_START_TIMEOUT_S = 420.0
STOCK_TRAIN_TIMEOUT_S = 1800.0


class BenchError(RuntimeError):
    """The benchmark cannot run (no model, a bot that does not start); the message says why."""


@dataclass
class RunningBot:
    """A bot ready for customers: where to send messages and which processes to weigh."""

    name: str
    webhook_url: str
    # Label -> pid of the processes whose peak memory is reported.
    processes: dict[str, int]
    # Called before each new conversation (ours forgets who asked about which order).
    before_conversation: Callable[[], None]


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB; NaN where /proc is missing.

    The kernel keeps this high-water mark itself, so no sampling can miss a short peak.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return math.nan
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return math.nan


def _ticking(say: Say, what: str, every_s: float = 15.0) -> Callable[[float], None]:
    """A progress callback that says `what` is still going every `every_s` seconds."""
    next_note = [every_s]

    def note(elapsed: float) -> None:
        if elapsed >= next_note[0]:
            say(f"  still {what} ({elapsed:.0f}s)")
            next_note[0] += every_s

    return note


def _private_settings(var_dir: Path, instances: int) -> StackSettings:
    """Our system on free ports with its state in `var_dir`, beside any running instance."""
    ports = ("RASA_PORT", "ACTION_PORT", "SHOP_PORT", "REDIS_PORT", "DESK_PORT", "WEB_PORT")
    env = {name: str(free_port()) for name in ports}
    if instances > 1:
        for kind in ("RASA", "ACTION"):
            env[f"{kind}_INSTANCES"] = str(instances)
            env[f"{kind}_INSTANCE_PORTS"] = ",".join(str(free_port()) for _ in range(instances))
    return load_stack_settings({**env, "RASA_API_TOKEN": "bench-token", "VAR_DIR": str(var_dir)})


@contextmanager
def our_system(say: Say, orders: Sequence[str], instances: int = 1) -> Iterator[RunningBot]:
    """The whole system running (`instances` Rasa and action servers behind HAProxy when above
    1); each conversation starts with no contact history for `orders`.

    Without that reset the third benchmark conversation about one order would be handed to a
    person as a customer coming back (repeated contact), which is right for customers but
    would turn the benchmark into a handoff test.
    """
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as var_dir:
        settings = _private_settings(Path(var_dir), instances)
        if not any(settings.model_dir.glob("*.tar.gz")):
            raise BenchError(f"no trained model in {settings.model_dir}: run `make train` first")
        stack = Stack(settings)
        stack.start(report=say)
        client = redis.Redis.from_url(settings.redis.url, socket_timeout=5)
        order_keys = [keys.contacts("order", order) for order in orders]
        try:
            yield RunningBot(
                name="ours" if instances == 1 else f"ours_x{instances}",
                webhook_url=f"{settings.rasa_url}/webhooks/rest/webhook",
                processes={
                    name: _pid(child)
                    for name, child in stack.children.items()
                    if name.startswith(("rasa", "actions"))
                },
                before_conversation=lambda: client.delete(*order_keys) if order_keys else None,
            )
        finally:
            client.close()
            stack.stop()


def _pid(child: Child) -> int:
    if child.pid is None:
        raise BenchError(f"{child.service.name} has no process")
    return child.pid


def _trained(project: Path) -> bool:
    return any((project / "models").glob("*.tar.gz"))


@contextmanager
def _training_lock(cache_dir: Path, say: Say) -> Iterator[None]:
    """One training of the stock bot at a time: a second run (the test suite trains it in the
    background, tests/conftest.py) waits for the first, then finds its model."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / "stock-train.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("stock bot: another run is training it; waiting for that one")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock, as does the process ending


def stock_project(say: Say, cache_dir: Path = BENCH_DIR) -> Path:
    """The trained example bot's project folder, created and trained on first use."""
    project = cache_dir / f"stock-bot-rasa-{version('rasa')}"
    with _training_lock(cache_dir, say):
        if _trained(project):
            say(f"stock bot: trained model found in {project}")
        else:
            _train_stock(project, cache_dir, say)
    return project


def _train_stock(project: Path, cache_dir: Path, say: Say) -> None:
    """`rasa init --no-prompt` writes the example bot and trains it with Rasa's defaults; it
    works in a scratch folder that is renamed only once a model exists, so an interrupted
    training is redone rather than half-used."""
    scratch = cache_dir / f".{project.name}.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    log_path = cache_dir / "stock-train.log"
    say(
        f"stock bot: `rasa init --no-prompt` creates and trains Rasa's example bot "
        f"(a minute or two; log: {log_path})"
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [PYTHON, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(scratch)],
            cwd=cache_dir,
            env={**QUIET_ENV, **Env().copy()},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    started = time.monotonic()
    note = _ticking(say, "training the stock bot")
    while process.poll() is None:
        if time.monotonic() - started > STOCK_TRAIN_TIMEOUT_S:
            process.kill()
            process.wait()
            break
        note(time.monotonic() - started)
        time.sleep(1.0)
    if process.returncode != 0 or not _trained(scratch):
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise BenchError(f"training the stock bot failed (exit {process.returncode}):\n{tail}")
    shutil.rmtree(project, ignore_errors=True)
    scratch.rename(project)
    say(f"  stock bot trained in {time.monotonic() - started:.0f}s")


@contextmanager
def stock_bot(say: Say, cache_dir: Path = BENCH_DIR) -> Iterator[RunningBot]:
    """Rasa's example bot served by `rasa run --enable-api` with its own files, as a new
    user would run it (in-memory tracker store, no action server: it has no custom actions)."""
    project = stock_project(say, cache_dir)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    service = Service(
        name="stock-rasa",
        argv=[
            PYTHON,
            "-m",
            "rasa",
            "run",
            "--enable-api",
            "--model",
            "models",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        ready=http_ok(f"{base_url}/status"),
        listens=base_url,
        ready_timeout_s=STOCK_START_TIMEOUT_S,
    )
    with tempfile.TemporaryDirectory(prefix="bench-stock-") as log_dir:
        child = Child(service, Path(log_dir), project)
        say("starting the stock bot ...")
        child.start({**QUIET_ENV, **Env().copy()})
        try:
            seconds = child.wait_ready(_ticking(say, "starting the stock bot", 10.0))
            say(f"  stock bot ready in {seconds:.1f}s: {base_url}")
            yield RunningBot(
                name="stock",
                webhook_url=f"{base_url}/webhooks/rest/webhook",
                processes={"rasa": _pid(child)},
                before_conversation=lambda: None,
            )
        finally:
            child.stop()
