"""The system over several machines: Redis (with the demo shop), two hosts each running a Rasa
server and an action server, HAProxy, the agent desk and the customers each in a network
namespace of their own (harness/hosts.py, harness/netns.py), talking only over that network.

Shown here: a conversation moves between hosts mid-form; an agent's reply sent through one
host reaches a widget whose socket is held by the other; a host killed mid-conversation
leaves its customers carrying on through the other; a part started with a different shared
secret refuses to start. Needs root (namespaces), as the rest of this machine's test runs have.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from typing import TypeVar

import pytest
import requests
import websockets

from contract import keys
from harness.desk_forms import PASSWORD, token_in
from harness.hosts import ACTION_PORT, HOSTS, SERVED_BY_HEADER, Deployment, deployment
from harness.widget import Widget
from launcher.process import StartError
from launcher.stack import action_service
from settings.redis_target import connect
from tests.faults.outcomes import ANSWERED, LOST, RETRY, Talker
from tests.faults.test_faults import wait_until

T = TypeVar("T")


@pytest.fixture(scope="module")
def hosts_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Every machine running; the namespaces removed afterwards, also after a failure."""
    with deployment(tmp_path_factory.mktemp("hosts")) as running:
        yield running


def as_customer(system: Deployment, work: Callable[[], T]) -> T:
    """`work` done from the customers' machine (its sockets open in that namespace)."""
    with system.network.inside("customers"):
        return work()


def customer(
    system: Deployment, label: str, through: str = "balancer", sender: str | None = None
) -> Talker:
    """A REST customer of the balancer, or of one host's Rasa server when `through` names it,
    in a new conversation or `sender`'s (tests/faults/outcomes.py counts what each message got)."""
    settings, _ = system.host_settings(through)
    return Talker(settings, label, sender) if sender else Talker(settings, label)


def ask(system: Deployment, talker: Talker, text: str) -> tuple[str, str]:
    """(the answer's text, the host that served it); the customer resends when told to retry."""
    as_customer(system, lambda: talker.say_until_answered(text, attempts=30))
    assert talker.last is not None
    answer = " ".join(m.get("text", "") for m in talker.last.json()).lower()
    return answer, talker.last.headers.get(SERVED_BY_HEADER, "")


def stored_texts(system: Deployment, conversation: str) -> list[str]:
    """The customer's messages as the conversation holds them, read through the balancer."""
    token = system.secrets["RASA_API_TOKEN"]
    url = f"{system.rasa_url}/conversations/{conversation}/tracker"
    response = as_customer(system, lambda: requests.get(url, params={"token": token}, timeout=30))
    response.raise_for_status()
    return [e.get("text") for e in response.json()["events"] if e["event"] == "user"]


def test_a_conversation_moves_between_hosts_mid_form(hosts_stack: Deployment) -> None:
    sender = uuid.uuid4().hex
    steps = [
        ("I want my money back", "order number"),
        ("10002", "email"),
        ("alice@example.com", "what went wrong"),
        ("the zip on the jacket broke after one day", "please check"),
        ("yes", "done: refund rf-"),
    ]
    for number, (text, expected) in enumerate(steps):
        # Each step on the other host than the one before, as a balancer may send it.
        talker = customer(hosts_stack, "refund", through=HOSTS[number % 2], sender=sender)
        answer, _ = ask(hosts_stack, talker, text)
        assert expected in answer, (text, answer)
    assert stored_texts(hosts_stack, sender) == [text for text, _ in steps]


def test_a_part_started_with_another_shared_secret_refuses_to_start(
    hosts_stack: Deployment,
) -> None:
    settings, env = hosts_stack.host_settings(
        "host-b", ACTION_PORT=str(ACTION_PORT + 1), ACTION_SERVER_TOKEN="not-the-shared-token"
    )
    service = replace(action_service(settings), ready_timeout_s=60)
    child = hosts_stack.start("host-b:wrong-token", "host-b", service, env)
    with pytest.raises(StartError) as refused:
        hosts_stack.wait([child])
    assert "exited with code 1" in str(refused.value)
    assert "ACTION_SERVER_TOKEN differs" in str(refused.value)


class AgentAtRemoteDesk:
    """An agent signed in to the desk on its own machine, using its pages over HTTP."""

    def __init__(self, system: Deployment) -> None:
        """Signs in as the demo agent alex."""
        self.system = system
        self.session = requests.Session()
        self.base = system.desk_url
        token = token_in(self.session.get(f"{self.base}/login", timeout=30).text)
        form = {"username": "alex", "password": PASSWORD, "csrf_token": token}
        self.session.post(f"{self.base}/login", data=form, allow_redirects=False, timeout=30)

    def ticket(self, conversation: str) -> str:
        """The conversation's open ticket's reference, once the handoff has made it."""
        client = connect(self.system.redis_url)
        try:
            for _ in range(120):
                reference = client.get(keys.conversation_ticket(conversation))
                if reference:
                    return str(reference)
                time.sleep(0.5)
        finally:
            client.close()
        raise AssertionError(f"{conversation} was never ticketed")

    def post(self, reference: str, action: str, **form: str) -> None:
        """A form on the ticket's page, with its CSRF token."""
        page = self.session.get(f"{self.base}/tickets/{reference}", timeout=30).text
        url = f"{self.base}/tickets/{reference}/{action}"
        data = {"csrf_token": token_in(page), **form}
        self.session.post(url, data=data, timeout=60).raise_for_status()


def replies_served_by(system: Deployment, conversation: str) -> set[str]:
    """The hosts that served the desk's posts into the conversation (HAProxy's request log)."""
    log = system.children["balancer"].log_path.read_text(errors="replace")
    pattern = re.compile(rf"rasa_http/(\S+) .*POST /conversations/{conversation}/tracker/events")
    return set(pattern.findall(log))


def test_an_agent_reply_through_one_host_reaches_a_widget_on_the_other(
    hosts_stack: Deployment,
) -> None:
    async def chat() -> tuple[str, set[str]]:
        url = hosts_stack.rasa_url.replace("http", "ws", 1)
        async with websockets.connect(f"{url}/socket.io/?EIO=4&transport=websocket") as socket:
            widget = Widget(socket)
            await widget.open()
            await widget.say("I want to talk to a person")
            agent = await in_customers(lambda: AgentAtRemoteDesk(hosts_stack))
            reference = await in_customers(lambda: agent.ticket(widget.conversation))
            await in_customers(lambda: agent.post(reference, "claim"))
            # Round robin: within two replies one goes through the host not holding the socket.
            for number in range(4):
                text = f"Alex here, reply {number}: your parcel leaves the depot tomorrow."
                await in_customers(partial(agent.post, reference, "reply", text=text))
                await widget.until_heard(text)
                served = replies_served_by(hosts_stack, widget.conversation)
                if served - {widget.host}:
                    break
            return widget.host, served

    async def in_customers(work: Callable[[], T]) -> T:
        return await asyncio.to_thread(as_customer, hosts_stack, work)

    holder, served = as_customer(hosts_stack, lambda: asyncio.run(chat()))
    assert holder in HOSTS
    assert served - {holder}, f"every reply went through {holder}, the socket's host"


def test_a_host_killed_mid_conversation_leaves_its_customers_to_the_other(
    hosts_stack: Deployment,
) -> None:
    """A widget and a REST customer, both mid-form on one host, when that host dies."""
    url = hosts_stack.rasa_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"

    async def widget_on_the_dying_host() -> tuple[str, str, Talker, str]:
        # Not `async with`: closing a socket whose server died fails, and it is left to die.
        widget = Widget(await websockets.connect(url))
        await widget.open()
        await widget.say("where's my parcel")
        assert "order number" in await widget.until_heard("bot_uttered")
        # The REST customer's conversation starts on the same host, straight to it.
        rest = customer(hosts_stack, "REST customer", through=widget.host)
        answer, _ = await asyncio.to_thread(ask, hosts_stack, rest, "I want my money back")
        assert "order number" in answer
        hosts_stack.kill_host(widget.host)
        with pytest.raises(websockets.ConnectionClosed):  # the widget sees its socket drop
            while True:  # past what was sent before (each read waits at most 90 s)
                await widget.packet()
        return widget.host, widget.session_id, rest, widget.conversation

    async def widget_again(session_id: str) -> tuple[str, str, str]:
        # The widget reconnects (the balancer now sends it to the survivor) with its session.
        async with websockets.connect(url) as socket:
            widget = Widget(socket)
            await widget.open(session_id)
            await widget.say("sorry, 10001")
            return widget.host, widget.session_id, await widget.until_heard("bot_uttered")

    dead, session_id, rest, conversation = as_customer(
        hosts_stack, lambda: asyncio.run(widget_on_the_dying_host())
    )
    survivor = next(h for h in HOSTS if h != dead)
    rest.settings, _ = hosts_stack.host_settings("balancer")  # from now on as customers do
    answer, served = ask(hosts_stack, rest, "10002")
    assert "email" in answer and served == survivor
    host, continued, reply = as_customer(hosts_stack, lambda: asyncio.run(widget_again(session_id)))
    # The survivor accepts the session the dead host signed (the shared WIDGET_SESSION_SECRET)
    # and continues the form where the dead host left it.
    assert (host, continued) == (survivor, session_id)
    assert "on its way" in reply
    # The widget gets the answer as it is made; the conversation is saved just after.
    texts = ["where's my parcel", "sorry, 10001"]
    wait_until(lambda: stored_texts(hosts_stack, conversation) == texts, "the widget's turn saved")
    assert rest.tally[LOST] == 0, rest.lost
    assert set(rest.tally) <= {ANSWERED, RETRY}, rest.figures()
    assert stored_texts(hosts_stack, rest.sender) == ["I want my money back", "10002"]
    print(rest.figures())
