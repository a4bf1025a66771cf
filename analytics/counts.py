"""The reader: the day counters and fallback examples of a date range, for one channel or all.

One pipelined round trip per range (an HGETALL and an LRANGE per day), whatever the number of
conversations: this is what keeps the analytics page cheap.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import redis

from contract import keys

MAX_DAYS = 366
DEFAULT_DAYS = 14
"""The period shown when none is chosen: the /analytics page and `make report` alike."""
MAX_EXAMPLES = 20


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included (local dates); `channel` None means every channel."""

    start: date
    end: date
    channel: str | None = None

    def __post_init__(self) -> None:
        """A reversed or over-long range is a mistake of the caller (the page checks first)."""
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
        if (self.end - self.start).days >= MAX_DAYS:
            raise ValueError(f"a period covers at most {MAX_DAYS} days")

    @property
    def days(self) -> list[date]:
        """Every date of the period, in order."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass
class Counts:
    """Per day, the counters of the chosen channel(s) by (metric, detail)."""

    period: Period
    daily: dict[date, dict[tuple[str, str], float]]
    channels: set[str] = field(default_factory=set)
    examples: list[dict[str, Any]] = field(default_factory=list)

    def day(self, day: date, metric: str, detail: str = "") -> float:
        """One counter on one day."""
        return self.daily[day].get((metric, detail), 0.0)

    def total(self, metric: str, detail: str = "") -> float:
        """One counter over the period."""
        return sum(c.get((metric, detail), 0.0) for c in self.daily.values())

    def details(self, metric: str) -> defaultdict[str, float]:
        """Per detail, the metric's total over the period (e.g. handoffs per reason)."""
        out: defaultdict[str, float] = defaultdict(float)
        for counters in self.daily.values():
            for (name, detail), n in counters.items():
                if name == metric:
                    out[detail] += n
        return out


def read_counts(client: redis.Redis, period: Period) -> Counts:
    """The period's counters summed over the chosen channel(s), and its latest fallbacks."""
    pipe = client.pipeline(transaction=False)
    for day in period.days:
        pipe.hgetall(keys.analytics_day(day.isoformat()))
    for day in period.days:
        pipe.lrange(keys.analytics_fallbacks(day.isoformat()), 0, MAX_EXAMPLES - 1)
    results = pipe.execute()
    hashes, lists = results[: len(period.days)], results[len(period.days) :]
    counts = Counts(period, {day: defaultdict(float) for day in period.days})
    for day, raw in zip(period.days, hashes, strict=True):
        for name, value in raw.items():
            metric, channel, detail = (name.split("|", 2) + ["", ""])[:3]
            counts.channels.add(channel)
            if period.channel is None or channel == period.channel:
                daily = counts.daily[day]
                daily[(metric, detail)] = daily.get((metric, detail), 0.0) + float(value)
    for listing in lists:
        for text in listing:
            example = json.loads(text)
            if period.channel is None or example.get("channel") == period.channel:
                counts.examples.append(example)
    counts.examples.sort(key=lambda e: -float(e.get("ts", 0)))
    del counts.examples[MAX_EXAMPLES:]
    return counts
