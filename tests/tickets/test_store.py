"""The ticket store against a real Redis: one ticket per conversation, atomic claims, queue
order, closing, notices, and everything surviving a Redis restart (appendonly)."""

from __future__ import annotations

import threading

from harness.redis_server import RedisServer
from harness.ticket_helpers import HEAD_START_S, draft
from tickets.model import CLAIMED, CLOSED, HANDED_BACK, WAITING
from tickets.store import TicketStore, connect


def test_a_conversation_keeps_one_open_ticket_until_it_is_closed(store: TicketStore) -> None:
    first, created = store.open_ticket(draft("conv-1"))
    again, created_again = store.open_ticket(draft("conv-1"))
    assert created and not created_again
    assert again.reference == first.reference
    assert [t.reference for t in store.queue()] == [first.reference]

    assert store.claim(first.reference, "alex", "Alex", 100.0).ok
    assert store.finish(first.reference, "alex", HANDED_BACK, 200.0)
    assert store.open_for_conversation("conv-1") is None
    later, created_later = store.open_ticket(draft("conv-1"))
    assert created_later and later.reference != first.reference


def test_the_ticket_keeps_what_the_agent_needs(store: TicketStore) -> None:
    ticket, _ = store.open_ticket(draft("conv-2", reason="frustration", frustration=0.8))
    saved = store.get(ticket.reference)
    assert saved is not None
    assert saved.reason == "frustration" and saved.reason_label == "Customer is frustrated"
    assert saved.customer["order_number"] == "10003"
    assert saved.summary[1] == "Wants: where an order is"
    assert saved.transcript == [{"ts": 1.0, "who": "customer", "text": "where is my parcel"}]
    assert saved.status == WAITING and saved.frustration == 0.8 and saved.level == "frustrated"


def test_only_one_of_many_simultaneous_claims_wins(redis_server: RedisServer) -> None:
    stores = [TicketStore(connect(redis_server.url), HEAD_START_S) for _ in range(4)]
    references = [stores[0].open_ticket(draft(f"race-{i}"))[0].reference for i in range(30)]
    winners: list[list[str]] = [[] for _ in references]
    start = threading.Barrier(len(stores))

    def agent(index: int) -> None:
        start.wait()
        for i, ref in enumerate(references):
            if stores[index].claim(ref, f"agent{index}", f"Agent {index}", 1.0).ok:
                winners[i].append(f"agent{index}")

    threads = [threading.Thread(target=agent, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(len(w) == 1 for w in winners), winners
    for ref, [winner] in zip(references, winners, strict=True):
        ticket = stores[0].get(ref)
        assert ticket is not None and ticket.status == CLAIMED and ticket.holder == winner


def test_a_second_claimer_is_told_who_holds_the_ticket(store: TicketStore) -> None:
    ticket, _ = store.open_ticket(draft("conv-3"))
    assert store.claim(ticket.reference, "alex", "Alex", 50.0).ok
    second = store.claim(ticket.reference, "sam", "Sam", 51.0)
    assert not second.ok
    assert (second.status, second.holder, second.holder_name, second.claimed_at) == (
        CLAIMED,
        "alex",
        "Alex",
        50.0,
    )
    assert store.claim(ticket.reference, "alex", "Alex", 52.0).ok  # claiming again is harmless
    assert not store.finish(ticket.reference, "sam", HANDED_BACK, 60.0)
    assert store.get(ticket.reference).status == CLAIMED


def test_queue_is_oldest_first_with_frustrated_customers_moved_up(store: TicketStore) -> None:
    t0 = 1_000_000.0
    calm_old, _ = store.open_ticket(draft("calm-old", created_at=t0))
    calm_new, _ = store.open_ticket(draft("calm-new", created_at=t0 + 120))
    # Fully frustrated and 5 minutes later than calm_old: counts as 10 - 5 = 5 minutes earlier.
    angry, _ = store.open_ticket(draft("angry", created_at=t0 + 300, frustration=1.0))
    # Half frustrated, 7 minutes later: counts as 5 - 7 = 2 minutes later than calm_old.
    annoyed, _ = store.open_ticket(draft("annoyed", created_at=t0 + 420, frustration=0.5))
    order = [t.reference for t in store.queue()]
    assert order == [angry.reference, calm_old.reference, calm_new.reference, annoyed.reference]
    assert [store.position(r) for r in order] == [1, 2, 3, 4]

    store.claim(angry.reference, "alex", "Alex", t0 + 500)
    assert store.position(angry.reference) is None
    assert store.position(calm_old.reference) == 1
    assert [t.reference for t in store.queue()] == order  # claimed tickets stay visible
    assert [t.reference for t in store.waiting()] == order[1:]


def test_closing_moves_the_ticket_to_recently_closed(store: TicketStore) -> None:
    ticket, _ = store.open_ticket(draft("conv-4"))
    store.claim(ticket.reference, "alex", "Alex", 10.0)
    assert store.finish(ticket.reference, "alex", HANDED_BACK, 20.0)
    closed = store.get(ticket.reference)
    assert (closed.status, closed.outcome, closed.closed_at) == (CLOSED, HANDED_BACK, 20.0)
    assert store.queue() == []
    assert [t.reference for t in store.recently_closed()] == [ticket.reference]
    assert not store.finish(ticket.reference, "alex", HANDED_BACK, 30.0)


def test_the_unclaimed_notice_is_marked_once_and_only_while_waiting(store: TicketStore) -> None:
    waiting, _ = store.open_ticket(draft("conv-5"))
    assert store.mark_notified(waiting.reference, 5.0)
    assert not store.mark_notified(waiting.reference, 6.0)
    store.unmark_notified(waiting.reference)
    assert store.mark_notified(waiting.reference, 7.0)

    claimed, _ = store.open_ticket(draft("conv-6"))
    store.claim(claimed.reference, "sam", "Sam", 1.0)
    assert not store.mark_notified(claimed.reference, 8.0)


def test_tickets_claims_and_judgements_survive_a_redis_restart(
    redis_server: RedisServer, store: TicketStore
) -> None:
    held, _ = store.open_ticket(draft("keep-1", reason="frustration", frustration=0.9))
    waiting, _ = store.open_ticket(draft("keep-2"))
    store.claim(held.reference, "alex", "Alex", 42.0)
    store.judge(held.reference, True, "alex", 43.0)

    redis_server.restart()

    # The same client object goes on working: it reconnects after the restart.
    assert [t.reference for t in store.queue()] == [held.reference, waiting.reference]
    assert store.get(held.reference).holder == "alex"
    assert store.position(waiting.reference) == 1
    assert [(j.reference, j.needed) for j in store.judgements()] == [(held.reference, True)]
    assert store.open_for_conversation("keep-2").reference == waiting.reference
    new, _ = store.open_ticket(draft("keep-3"))
    assert new.reference not in (held.reference, waiting.reference)  # numbering continues


def test_judging_again_replaces_the_earlier_verdict(store: TicketStore) -> None:
    ticket, _ = store.open_ticket(draft("conv-7", reason="repeated_failure"))
    store.judge(ticket.reference, True, "alex", 1.0)
    store.judge(ticket.reference, False, "sam", 2.0)
    [judgement] = store.judgements()
    assert (judgement.reason, judgement.needed, judgement.agent) == (
        "repeated_failure",
        False,
        "sam",
    )
    saved = store.get(ticket.reference)
    assert (saved.judgement, saved.judged_by) == ("not_needed", "sam")
    assert store.judge("T-99999", True, "alex", 3.0) is None
