"""`rasa shell` (`make shell` = `python -m launcher shell`) in a pseudo-terminal.

The shell loads the model into its own Rasa process and uses the running system's action
server and Redis. It is started the way a developer starts it: without any chat-platform
secrets in the environment.
"""

from __future__ import annotations

import json
import os
import sys

import pexpect
import redis

from contract import keys
from contract.at_rest import sealer
from harness.helpers import free_port
from launcher.settings import PROJECT_ROOT
from tests.channel_system import ChannelSystem

CHANNEL_SECRETS = ("SLACK_", "TELEGRAM_")
# Loading TensorFlow and the model into a second Rasa process on the shared machine.
START_TIMEOUT_S = 300
ANSWER_TIMEOUT_S = 60


def shell_conversation_id(system: ChannelSystem) -> str:
    """The shell's conversation: the tracker whose messages came from the command line (its
    events are sealed at rest with the key the stack shares with this test process)."""
    client = redis.Redis.from_url(system.settings.redis.url)
    head, tail = keys.tracker_events(""), ":events"
    try:
        for key in client.scan_iter(keys.tracker_events("*")):
            events = (json.loads(sealer().open(raw.decode())) for raw in client.lrange(key, 0, -1))
            if any(event.get("input_channel") == "cmdline" for event in events):
                return key.decode()[len(head.removesuffix(tail)) : -len(tail)]
    finally:
        client.close()
    raise AssertionError("no conversation from rasa shell in the tracker store")


def test_rasa_shell_answers_and_shows_the_handoff(channel_system: ChannelSystem) -> None:
    env = {
        key: value
        for key, value in {**os.environ, **channel_system.env}.items()
        if not key.startswith(CHANNEL_SECRETS)
    }
    env["SHELL_PORT"] = str(free_port())
    shell = pexpect.spawn(
        sys.executable,
        ["-m", "launcher", "shell"],
        cwd=str(PROJECT_ROOT),
        env=env,
        encoding="utf-8",
        timeout=ANSWER_TIMEOUT_S,
        dimensions=(50, 200),
    )
    try:
        shell.expect("Bot loaded", timeout=START_TIMEOUT_S)
        shell.sendline("where is order 10001?")
        shell.expect("on its way")

        shell.sendline("I want to talk to a person")
        shell.expect("take over")
        conversation = shell_conversation_id(channel_system)
        channel_system.desk.wait_until_handed_over(conversation)
        channel_system.desk.join(conversation)

        # The shell cannot receive a person's pushed reply (it only prints answers to its own
        # requests), but the hand-back works: the assistant answers the next question.
        channel_system.desk.hand_back(conversation)
        shell.sendline("where is order 10003?")
        shell.expect("delayed")

        shell.sendline("/stop")
        shell.expect(pexpect.EOF, timeout=ANSWER_TIMEOUT_S)
    finally:
        shell.close(force=True)
