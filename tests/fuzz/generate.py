"""Seeded generators of hostile input: every run with the same seed sends the same bytes.

A seeded `random.Random` instead of hypothesis: the suite sends thousands of requests to a
running system concurrently, where hypothesis's shrinking (replaying a failing case many
times, one at a time) does not fit; the seed printed with the figures replays a run.
"""

from __future__ import annotations

import json
import random
from typing import Any

# Code points a customer (or an attacker) can send: ASCII, Latin, RTL, CJK, combining marks,
# zero-width and direction controls, emoji, private use, and lone surrogates.
RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x36F),
    (0x590, 0x6FF),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x4E00, 0x4FFF),
    (0xD800, 0xDFFF),
    (0xE000, 0xE0FF),
    (0x1F300, 0x1F6FF),
]
CONTROL = [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\u2028", "\u2029", "\ufeff"]
TRICKS = [
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/%2e%2e/%2e%2e/etc/passwd",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "{{7*7}}${7*7}%s%n{0}",
    "\r\nSet-Cookie: x=1",
    "http://evil.example/",
    "/\t/evil.example/phish",
    "4111 1111 1111 1111",
    "null",
    "[]",
]


class Generator:
    """Random strings, JSON values and bodies from one seed."""

    def __init__(self, seed: int) -> None:
        """Same seed, same sequence."""
        self.rng = random.Random(seed)

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.rng.random() < p

    def unicode(self, length: int) -> str:
        """`length` characters from RANGES and CONTROL."""
        out = []
        for _ in range(length):
            if self.chance(0.1):
                out.append(self.rng.choice(CONTROL))
            else:
                low, high = self.rng.choice(RANGES)
                out.append(chr(self.rng.randint(low, high)))
        return "".join(out)

    def text(self) -> str:
        """A message text of any kind, from empty to 100 KB."""
        kind = self.rng.random()
        if kind < 0.45:
            return self.unicode(self.rng.randint(0, 80))
        if kind < 0.6:
            return self.rng.choice(TRICKS)
        if kind < 0.7:
            return "".join(self.rng.choice(CONTROL) for _ in range(self.rng.randint(1, 40)))
        if kind < 0.8:
            return self.rng.choice(["", " ", "\n", "\t \t", "\u200b"])
        if kind < 0.9:
            return self.rng.choice("aé字🙂\x00/") * self.rng.randint(100_000, 102_400)
        return "where is order #1000" + str(self.rng.randint(0, 9)) + self.unicode(3)

    def short_text(self) -> str:
        """A text Rasa will really process (short, so NLU stays quick)."""
        return self.unicode(self.rng.randint(1, 40)) if self.chance(0.7) else self.text()[:200]

    def sender(self) -> str:
        """Long, path-like, unicode, empty or control-character sender ids."""
        kind = self.rng.random()
        if kind < 0.3:
            return self.rng.choice(TRICKS) + str(self.rng.randint(0, 10**6))
        if kind < 0.5:
            return "x" * self.rng.choice([129, 1000, 100_000])
        if kind < 0.7:
            return self.unicode(self.rng.randint(0, 30))
        return f"fuzz-{self.rng.getrandbits(48):x}"

    def value(self, depth: int = 0) -> Any:
        """Any JSON value, nested a few levels."""
        kind = self.rng.randint(0, 7 if depth < 3 else 4)
        if kind == 0:
            return None
        if kind == 1:
            return self.chance(0.5)
        if kind == 2:
            return self.rng.choice([0, -1, 2**63, -(2**80), 1e308, 0.5])
        if kind in (3, 4):
            return self.unicode(self.rng.randint(0, 20))
        if kind in (5, 6):
            return [self.value(depth + 1) for _ in range(self.rng.randint(0, 4))]
        return {self.unicode(5): self.value(depth + 1) for _ in range(self.rng.randint(0, 4))}

    def deep(self) -> bytes:
        """JSON nested hundreds or thousands of levels."""
        levels = self.rng.choice([50, 500, 5000, 50_000])
        if self.chance(0.5):
            return b"[" * levels + b"]" * levels
        return b'{"a":' * levels + b"1" + b"}" * levels

    def mutated(self, shape: dict[str, Any]) -> bytes:
        """A body built from a valid `shape`: wrong types, missing or extra fields, nesting,
        another top-level value, broken JSON or bytes that are not UTF-8."""
        kind = self.rng.randint(0, 9)
        body = dict(shape)
        if kind == 0:
            return self.deep()
        if kind == 1:
            return json.dumps(self.value()).encode()
        if kind == 2:
            return self.rng.choice([b"", b"{", b'{"a":', b"\xff\xfe\x00", b"\x00" * 10, b"nul"])
        if kind == 3 and body:
            del body[self.rng.choice(list(body))]
        elif kind in (4, 5, 6) and body:
            body[self.rng.choice(list(body))] = self.value()
        elif kind == 7:
            body[self.unicode(6)] = self.value()
        elif kind == 8:
            return json.dumps(body).encode()[: self.rng.randint(0, 40)]
        else:
            return self.unicode(self.rng.randint(1, 200)).encode("utf-8", "surrogatepass")
        return json.dumps(body).encode()
