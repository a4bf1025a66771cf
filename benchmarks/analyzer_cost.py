"""What the per-turn frustration analysis costs on its own, timed in this process.

The action server runs `TurnAnalyzer.analyze` for every customer message, so its cost is
part of every reply's latency; timing it alone tells how much of the gap to the stock bot
is the analysis and how much is the rest (HTTP to the action server, Redis, the shop).
"""

from __future__ import annotations

import itertools
import statistics
import time

from benchmarks.load import percentile
from settings.env import quiet_libraries

# Calm, annoyed and furious customer messages of different lengths (the cost grows with length).
SAMPLE_MESSAGES = (
    "hi",
    "where is my order 10001?",
    "Can you tell me when parcel 10003 will arrive, please?",
    "thanks, that's all I needed",
    "I'd like to return the shoes I bought last week, they are too small",
    "this is the THIRD time I'm asking and still nothing!!!",
    "great, another useless bot",
    "WHERE IS MY REFUND???",
    "my package never arrived and nobody answers my emails",
    "ok",
    "I already told you the order number, why do you keep asking again and again",
    "let me talk to a real person now",
    "the zip on the jacket broke after one day, what a piece of crap",
    (
        "Hello, I ordered a lamp two weeks ago and the tracking page has not changed since Monday. "
        "Could someone check what is going on with it? The order number is 10003."
    ),
)
WARMUP_CALLS = 20


def measure(messages: int) -> dict[str, float]:
    """Median and p90 microseconds per `analyze` call over `messages` calls, after a warm-up."""
    # spaCy's thinc imports TensorFlow (Rasa installs it): quiet its start-up lines first.
    quiet_libraries()
    from mood.analyzer import TurnAnalyzer
    from mood.settings import load_frustration_settings

    analyzer = TurnAnalyzer(load_frustration_settings())
    texts = itertools.cycle(SAMPLE_MESSAGES)
    for text in itertools.islice(texts, WARMUP_CALLS):
        analyzer.analyze(text)
    timings_us = []
    for text in itertools.islice(texts, messages):
        started = time.perf_counter_ns()
        analyzer.analyze(text)
        timings_us.append((time.perf_counter_ns() - started) / 1000.0)
    timings_us.sort()
    return {
        "messages": messages,
        "median_us": statistics.median(timings_us),
        "p90_us": percentile(timings_us, 90),
    }
