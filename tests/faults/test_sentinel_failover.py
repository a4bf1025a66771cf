"""Redis Sentinel: the primary is killed during a short load; the replica is promoted; every
part follows it; no answered message is lost, and every other message was told to retry.

A primary, a replica and three sentinels run on loopback ports (harness/sentinel.py); the whole
system runs against them with REDIS_SENTINELS and REDIS_SENTINEL_MASTER (harness/stacks.py).
Three customers keep writing while the primary is SIGKILLed and until the sentinels have
promoted the replica and each customer has had a few answers after it, so each has a message
in flight across the switch (counted and printed with -s). Then: each answered
message is in its stored conversation (trackers and locks followed), a request for a person is
ticketed (the action server's tickets and contact history followed), and a widget connected
before the failover is answered after it: its replies travel through the socket.io fan-out's
Redis channel, whose listener lost its connection with the primary (contract/socketio_redis.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

from addons.channels.delivery import RETRY_TEXT
from contract import keys
from harness.sentinel import MASTER_NAME, SentinelGroup
from harness.stacks import private_env, running_stack
from harness.widget import Widget
from launcher.settings import load_stack_settings
from launcher.stack import Stack
from settings.redis_target import connect
from tests.faults.outcomes import ANSWERED, LOST, REFUSED, RETRY, Talker
from tests.faults.test_faults import QUESTIONS, stored_user_texts, wait_until

CUSTOMERS = 3
# Each customer's messages after the promotion: enough to show every part reconnected.
ANSWERS_AFTER = 3
# A bound on the whole run (messages per customer), so a broken failover cannot loop forever.
MAX_MESSAGES = 80


@pytest.fixture(scope="module")
def sentinel_stack(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Stack, SentinelGroup]]:
    """The system running against a Sentinel group it does not start itself."""
    workdir: Path = tmp_path_factory.mktemp("sentinel")
    group = SentinelGroup(workdir / "redis")
    group.start()
    try:
        env = private_env(workdir / "var", "sentinel-test-token") | {
            "REDIS_SENTINELS": group.sentinels,
            "REDIS_SENTINEL_MASTER": MASTER_NAME,
        }
        settings = load_stack_settings(env)
        assert settings.redis.url.startswith("redis+sentinel://")
        with running_stack(settings, env) as stack:
            yield stack, group
    finally:
        group.stop()


async def widget_answered(widget: Widget, text: str, attempts: int = 30) -> bool:
    """Sends `text` until an answer that is not "send it again" comes back over the socket."""
    for _ in range(attempts):
        await widget.say(text)
        if RETRY_TEXT not in await widget.until_heard("bot_uttered"):
            return True
        await asyncio.sleep(1.0)
    return False


def widget_across_failover(
    stack: Stack, connected: threading.Event, promoted: threading.Event, result: list[bool]
) -> None:
    """A widget answered before the failover, then (on the same socket) after the promotion."""

    async def session() -> None:
        url = stack.settings.rasa_url.replace("http", "ws", 1)
        async with websockets.connect(f"{url}/socket.io/?EIO=4&transport=websocket") as socket:
            widget = Widget(socket)
            await widget.open()
            result.append(await widget_answered(widget, QUESTIONS[1]))
            connected.set()
            await asyncio.to_thread(promoted.wait, 120)
            result.append(await widget_answered(widget, QUESTIONS[0]))

    try:
        asyncio.run(session())
    finally:
        connected.set()


def has_ticket(stack: Stack, sender: str) -> bool:
    """Whether the conversation has an open ticket, read through the Sentinel target."""
    client = connect(stack.settings.redis.url)
    try:
        return bool(client.exists(keys.conversation_ticket(sender)))
    finally:
        client.close()


@pytest.mark.system
def test_losing_the_primary_loses_no_answered_message(
    sentinel_stack: tuple[Stack, SentinelGroup],
) -> None:
    stack, group = sentinel_stack
    old_primary, replica = group.data_ports
    assert group.primary_port() == old_primary
    talkers = [Talker(stack.settings, f"customer {n} during failover") for n in range(CUSTOMERS)]
    for talker in talkers:
        assert talker.say(QUESTIONS[0]) == ANSWERED, talker.lost

    promoted, widget_connected = threading.Event(), threading.Event()
    widget_answers: list[bool] = []
    widget = threading.Thread(
        target=widget_across_failover, args=(stack, widget_connected, promoted, widget_answers)
    )
    widget.start()
    widget_connected.wait(120)
    after: dict[str, int] = {}
    # (sent, outcome came back, outcome) of every message, to find those across the switch.
    spans: list[tuple[float, float, str]] = []

    def keep_talking(talker: Talker) -> None:
        sent = 0
        while sent < MAX_MESSAGES and after.get(talker.sender, 0) < ANSWERS_AFTER:
            sent_after_promotion, started = promoted.is_set(), time.monotonic()
            outcome = talker.say(f"{QUESTIONS[sent % 2]} ({sent})")
            spans.append((started, time.monotonic(), outcome))
            sent += 1
            if sent_after_promotion and outcome == ANSWERED:
                after[talker.sender] = after.get(talker.sender, 0) + 1

    threads = [threading.Thread(target=keep_talking, args=(t,)) for t in talkers]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(spans) >= CUSTOMERS, "the load under way")
    killed_at = time.monotonic()
    group.kill(old_primary)
    wait_until(lambda: group.primary_port() == replica, "the replica's promotion")
    promoted_at = time.monotonic()
    promoted.set()
    for thread in [*threads, widget]:
        thread.join()

    handoff = Talker(stack.settings, "handoff after failover")
    handoff.say_until_answered("I want to talk to a person")
    wait_until(lambda: has_ticket(stack, handoff.sender), "the handoff's ticket")

    across = [outcome for sent, back, outcome in spans if sent < promoted_at and back > killed_at]
    print(f"promoted {promoted_at - killed_at:.1f} s after the kill; messages across the switch:")
    print(f"  {len(across)}: {Counter(across)}")
    for talker in [*talkers, handoff]:
        print(talker.figures())
    # Each customer was writing all along, so each had a message in flight across the switch.
    assert len(across) >= CUSTOMERS, spans
    assert widget_answers == [True, True], "the widget was not answered after the failover"
    assert all(after.get(t.sender, 0) >= ANSWERS_AFTER for t in talkers), after
    assert sum(t.tally[LOST] for t in talkers) == 0, [t.lost for t in talkers]
    # Every message was answered or plainly failed (told to retry, or no answer at all).
    for talker in talkers:
        assert set(talker.tally) <= {ANSWERED, RETRY, REFUSED}
        stored = stored_user_texts(stack, talker.sender)
        missing = [text for text in talker.answered_texts if text not in stored]
        assert not missing, f"answered but not stored after the failover: {missing}"
