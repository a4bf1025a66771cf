"""SQLite storage of the demo shop: the schema, the reads, the two writes (refund, cancel), the
owner check and the idempotency keys that make those writes safe to repeat.

Every call opens its own short-lived connection because waitress serves requests on several
threads and a sqlite3 connection must not cross threads. All SQL is parameterised. Rows come
back as the JSON documents the API serves (`OrderDoc`, `RefundDoc`), so the web layer has no
mapping code of its own; money is stored in cents to keep sums exact.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypedDict

_SCHEMA = """
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS refunds;
DROP TABLE IF EXISTS order_items;
DROP TABLE IF EXISTS orders;
CREATE TABLE orders (
    order_number TEXT PRIMARY KEY,
    customer_email TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN
        ('processing', 'in_transit', 'delayed', 'delivered', 'lost', 'cancelled')),
    total_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    ordered_at TEXT NOT NULL,
    shipped_at TEXT,
    delivered_at TEXT,
    expected_delivery TEXT,
    original_expected_delivery TEXT,
    delay_reason TEXT,
    delay_reason_code TEXT,
    carrier TEXT,
    tracking_number TEXT
);
CREATE TABLE order_items (
    order_number TEXT NOT NULL REFERENCES orders (order_number),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_number, position)
);
CREATE TABLE refunds (
    reference TEXT PRIMARY KEY,
    order_number TEXT NOT NULL UNIQUE REFERENCES orders (order_number),
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid')),
    created_at TEXT NOT NULL,
    expected_by TEXT NOT NULL
);
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    body TEXT
);
"""

_ORDER_COLUMNS = (
    "order_number, customer_email, customer_name, status, total_cents, currency, ordered_at,"
    " shipped_at, delivered_at, expected_delivery, original_expected_delivery, delay_reason,"
    " delay_reason_code, carrier, tracking_number"
)
_REFUND_COLUMNS = (
    "reference, order_number, amount_cents, currency, reason, status, created_at, expected_by"
)
_REFERENCE_ALPHABET = string.ascii_uppercase + string.digits


class ItemDoc(TypedDict):
    """One line of an order."""

    name: str
    quantity: int


class RefundDoc(TypedDict):
    """A refund as the API serves it; dates are ISO-8601 strings."""

    reference: str
    order_number: str
    amount: float
    currency: str
    reason: str
    status: str
    created_at: str
    expected_by: str


class OrderDoc(TypedDict):
    """An order as the API serves it; dates are ISO-8601 strings or None."""

    order_number: str
    customer_email: str
    customer_name: str
    status: str
    items: list[ItemDoc]
    total: float
    currency: str
    ordered_at: str
    shipped_at: str | None
    delivered_at: str | None
    expected_delivery: str | None
    original_expected_delivery: str | None
    delay_reason: str | None
    delay_reason_code: str | None
    carrier: str | None
    tracking_number: str | None
    refund: RefundDoc | None


class AlreadyRefunded(Exception):
    """The order has a refund already; a second one is refused (idempotency)."""


class KeyInUse(Exception):
    """An idempotency key is being used by a request that has not finished yet."""


class KeyReused(Exception):
    """An idempotency key came back with a different request than the one it was made for."""


@dataclass(frozen=True)
class StoredAnswer:
    """The answer first given to a request with an idempotency key, replayed on a repeat."""

    status: int
    body: str


def _cents(amount: float) -> int:
    return round(amount * 100)


def _refund_doc(row: sqlite3.Row) -> RefundDoc:
    return RefundDoc(
        reference=row["reference"],
        order_number=row["order_number"],
        amount=row["amount_cents"] / 100,
        currency=row["currency"],
        reason=row["reason"],
        status=row["status"],
        created_at=row["created_at"],
        expected_by=row["expected_by"],
    )


class Store:
    """Access to one shop database file."""

    def __init__(self, db_path: Path) -> None:
        self._path = db_path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # Autocommit mode: reads need no transaction, writes open one explicitly.
        conn = sqlite3.connect(self._path, timeout=5.0, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        finally:
            conn.close()

    def reset(self) -> None:
        """Drop and recreate every table, so each start begins from the documented seed."""
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
            conn.executescript(_SCHEMA)

    def insert_order(self, order: OrderDoc) -> None:
        """Store an order with its items and its refund, if it has one (used by the seed)."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            with conn:
                conn.execute(
                    f"INSERT INTO orders ({_ORDER_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        order["order_number"],
                        order["customer_email"].lower(),
                        order["customer_name"],
                        order["status"],
                        _cents(order["total"]),
                        order["currency"],
                        order["ordered_at"],
                        order["shipped_at"],
                        order["delivered_at"],
                        order["expected_delivery"],
                        order["original_expected_delivery"],
                        order["delay_reason"],
                        order["delay_reason_code"],
                        order["carrier"],
                        order["tracking_number"],
                    ),
                )
                conn.executemany(
                    "INSERT INTO order_items (order_number, position, name, quantity)"
                    " VALUES (?, ?, ?, ?)",
                    [
                        (order["order_number"], position, item["name"], item["quantity"])
                        for position, item in enumerate(order["items"])
                    ],
                )
                refund = order["refund"]
                if refund is not None:
                    conn.execute(
                        f"INSERT INTO refunds ({_REFUND_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            refund["reference"],
                            refund["order_number"],
                            _cents(refund["amount"]),
                            refund["currency"],
                            refund["reason"],
                            refund["status"],
                            refund["created_at"],
                            refund["expected_by"],
                        ),
                    )

    def _order_doc(self, conn: sqlite3.Connection, row: sqlite3.Row) -> OrderDoc:
        items = conn.execute(
            "SELECT name, quantity FROM order_items WHERE order_number = ? ORDER BY position",
            (row["order_number"],),
        ).fetchall()
        refund = conn.execute(
            f"SELECT {_REFUND_COLUMNS} FROM refunds WHERE order_number = ?",
            (row["order_number"],),
        ).fetchone()
        return OrderDoc(
            order_number=row["order_number"],
            customer_email=row["customer_email"],
            customer_name=row["customer_name"],
            status=row["status"],
            items=[ItemDoc(name=item["name"], quantity=item["quantity"]) for item in items],
            total=row["total_cents"] / 100,
            currency=row["currency"],
            ordered_at=row["ordered_at"],
            shipped_at=row["shipped_at"],
            delivered_at=row["delivered_at"],
            expected_delivery=row["expected_delivery"],
            original_expected_delivery=row["original_expected_delivery"],
            delay_reason=row["delay_reason"],
            delay_reason_code=row["delay_reason_code"],
            carrier=row["carrier"],
            tracking_number=row["tracking_number"],
            refund=_refund_doc(refund) if refund is not None else None,
        )

    def list_orders(self, email: str | None = None) -> list[OrderDoc]:
        """All orders, or those of one customer (email compared case-insensitively)."""
        with self._connect() as conn:
            if email is None:
                rows = conn.execute(
                    f"SELECT {_ORDER_COLUMNS} FROM orders ORDER BY order_number"
                ).fetchall()
            else:
                rows = conn.execute(
                    f"SELECT {_ORDER_COLUMNS} FROM orders WHERE customer_email = ?"
                    " ORDER BY order_number",
                    (email.strip().lower(),),
                ).fetchall()
            return [self._order_doc(conn, row) for row in rows]

    def get_order(self, order_number: str) -> OrderDoc | None:
        """The order, or None when there is no such order."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {_ORDER_COLUMNS} FROM orders WHERE order_number = ?", (order_number,)
            ).fetchone()
            return self._order_doc(conn, row) if row is not None else None

    def get_refund(self, reference: str) -> RefundDoc | None:
        """The refund, or None when there is no such refund."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {_REFUND_COLUMNS} FROM refunds WHERE reference = ?", (reference,)
            ).fetchone()
            return _refund_doc(row) if row is not None else None

    def add_refund(
        self, order_number: str, reason: str, created_at: date, expected_by: date
    ) -> RefundDoc:
        """Refund the full total of an existing order; AlreadyRefunded if it has a refund.

        The check and the insert share one write transaction, so two simultaneous requests
        cannot both refund the same order (the UNIQUE column is the backstop).
        """
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            with conn:
                if conn.execute(
                    "SELECT 1 FROM refunds WHERE order_number = ?", (order_number,)
                ).fetchone():
                    raise AlreadyRefunded(order_number)
                reference = self._new_reference(conn)
                conn.execute(
                    f"INSERT INTO refunds ({_REFUND_COLUMNS})"
                    " SELECT ?, order_number, total_cents, currency, ?, 'pending', ?, ?"
                    " FROM orders WHERE order_number = ?",
                    (
                        reference,
                        reason,
                        created_at.isoformat(),
                        expected_by.isoformat(),
                        order_number,
                    ),
                )
                row = conn.execute(
                    f"SELECT {_REFUND_COLUMNS} FROM refunds WHERE reference = ?", (reference,)
                ).fetchone()
                return _refund_doc(row)

    @staticmethod
    def _new_reference(conn: sqlite3.Connection) -> str:
        # 36**6 (two billion) references: a collision is rare, but cheap to rule out.
        while True:
            reference = "RF-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
            if not conn.execute(
                "SELECT 1 FROM refunds WHERE reference = ?", (reference,)
            ).fetchone():
                return reference

    def claim_key(self, key: str, fingerprint: str) -> StoredAnswer | None:
        """Claims `key` for a request, or returns the answer stored for it earlier.

        None means "claimed: go ahead and store your answer with `store_answer`". Two requests
        with the same key cannot both claim it (primary key, one write transaction): the
        second gets KeyInUse until the first has stored its answer, then the replay.
        """
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            with conn:
                row = conn.execute(
                    "SELECT fingerprint, status, body FROM idempotency_keys WHERE key = ?", (key,)
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO idempotency_keys (key, fingerprint) VALUES (?, ?)",
                        (key, fingerprint),
                    )
                    return None
        if row["fingerprint"] != fingerprint:
            raise KeyReused(key)
        if row["status"] is None:
            raise KeyInUse(key)
        return StoredAnswer(status=row["status"], body=row["body"])

    def store_answer(self, key: str, answer: StoredAnswer) -> None:
        """Keeps the answer of a claimed key, so a repeat gets the same answer."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE idempotency_keys SET status = ?, body = ? WHERE key = ?",
                (answer.status, answer.body, key),
            )

    def release_key(self, key: str) -> None:
        """Forgets a claim whose request failed unexpectedly, so a retry can run it."""
        with self._connect() as conn:
            conn.execute("DELETE FROM idempotency_keys WHERE key = ? AND status IS NULL", (key,))

    def owns(self, order_number: str, email: str) -> bool:
        """True when the order exists and was placed with `email` (case-insensitive)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT customer_email FROM orders WHERE order_number = ?", (order_number,)
            ).fetchone()
        stored = row["customer_email"] if row is not None else ""
        # Compared in constant time, and a missing order compares too, so timing tells nothing.
        return hmac.compare_digest(stored.encode(), email.strip().lower().encode()) and bool(stored)

    def cancel_if_processing(self, order_number: str) -> bool:
        """Cancel the order if it has not shipped; False when its status did not allow it."""
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE orders SET status = 'cancelled', expected_delivery = NULL"
                " WHERE order_number = ? AND status = 'processing'",
                (order_number,),
            )
            return cursor.rowcount == 1
