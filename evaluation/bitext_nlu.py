"""How well the trained NLU model understands customer-service text that it never saw.

Bitext's customer-service data set (../shared/data/bitext, written by others, see its README)
is used only to measure: its ten routine intents map onto ours, and its other seventeen intents
(accounts, invoices, payments, ...) are things this assistant does not do, so the right answer
for them is the fallback (`nlu_fallback` or `out_of_scope`), not a routine flow.

    python -m evaluation.bitext_nlu [--model PATH] [--data-dir DIR] [--limit N]

Figures are printed, never asserted: the exit code is 0 unless the model or data is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from settings.env import quiet_libraries

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = PROJECT_ROOT / "models" / "assistant.tar.gz"
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data" / "bitext"
DATA_FILES = (
    "Bitext_Sample_Customer_Service_Training_Dataset.csv",
    "Bitext_Sample_Customer_Service_Validation_Dataset.csv",
)
REQUIRED_COLUMNS = frozenset({"utterance", "intent", "tags"})

# Bitext intent -> our intent (../shared/data/README.md). Every other Bitext intent is out of
# scope.
INTENT_MAP: dict[str, str] = {
    "track_order": "check_delivery",
    "get_refund": "request_refund",
    "track_refund": "refund_status",
    "check_refund_policy": "return_policy",
    "cancel_order": "cancel_order",
    "delivery_period": "shipping_info",
    "delivery_options": "shipping_info",
    "contact_human_agent": "request_human",
    "contact_customer_service": "request_human",
    "complaint": "complain",
}
# A second intent that also answers a Bitext intent's rows. Most `delivery_period` rows ask when
# "my order" arrives: the delivery check answers that with the order's own date (an order
# already placed is `check_delivery` by decision, docs/decisions.md), the shipping answer with
# the shop's general times. Both serve the customer; a delivery-time question read as anything
# else does not.
ALSO_SERVED_BY: dict[str, str] = {"delivery_period": "check_delivery"}
# Predictions that send an out-of-scope message to the fallback flow.
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})

# Bitext's language-variation tags (TAGS.txt), so the per-tag table is readable on its own.
TAG_NAMES: dict[str, str] = {
    "B": "basic syntax",
    "C": "coordinated",
    "D": "indirect speech",
    "E": "abbreviations",
    "G": "regional",
    "I": "interrogative",
    "K": "keyword only",
    "L": "semantic variation",
    "M": "morphological",
    "N": "negation",
    "P": "polite",
    "Q": "colloquial",
    "R": "respect",
    "W": "offensive",
    "Y": "code switching",
    "Z": "typos",
}


class EvaluationError(Exception):
    """A problem the user has to fix before anything can be measured (missing model or data)."""


@dataclass(frozen=True)
class Row:
    """One Bitext utterance with the answer we expect from our model."""

    text: str
    bitext_intent: str
    tags: str

    @property
    def expected(self) -> str | None:
        """Our intent for this row, or None when the assistant should fall back."""
        return INTENT_MAP.get(self.bitext_intent)


@dataclass(frozen=True)
class Outcome:
    """What the model predicted for one row."""

    row: Row
    predicted: str

    @property
    def correct(self) -> bool:
        """In scope: the mapped intent or the one that also serves it; out of scope: a fallback."""
        if self.row.expected is None:
            return self.predicted in FALLBACK_INTENTS
        also = ALSO_SERVED_BY.get(self.row.bitext_intent)
        return self.predicted in (self.row.expected, also)


def load_rows(data_dir: Path) -> list[Row]:
    """Every row of the training and validation files: the model never trained on either."""
    rows: list[Row] = []
    for name in DATA_FILES:
        path = data_dir / name
        if not path.is_file():
            raise EvaluationError(
                f"Bitext file not found: {path}. Point --data-dir at the folder holding "
                f"{' and '.join(DATA_FILES)}."
            )
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
            if missing:
                raise EvaluationError(f"{path} lacks the columns {', '.join(sorted(missing))}.")
            rows.extend(
                Row(text=record["utterance"], bitext_intent=record["intent"], tags=record["tags"])
                for record in reader
            )
    return rows


def stratified_sample(rows: Sequence[Row], limit: int, seed: int = 0) -> list[Row]:
    """`limit` rows with every Bitext intent in its original share (at least one each).

    A fixed seed keeps CI figures comparable from run to run.
    """
    if limit >= len(rows):
        return list(rows)
    by_intent: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_intent[row.bitext_intent].append(row)
    intents = sorted(by_intent)
    # Largest remainder: whole shares first, the rows left over go to the biggest fractions.
    exact = {intent: limit * len(by_intent[intent]) / len(rows) for intent in intents}
    quota = {intent: max(1, int(exact[intent])) for intent in intents}
    by_fraction = sorted(
        intents, key=lambda intent: exact[intent] - int(exact[intent]), reverse=True
    )
    for intent in by_fraction[: max(0, limit - sum(quota.values()))]:
        quota[intent] += 1
    rng = random.Random(seed)
    return [row for intent in intents for row in rng.sample(by_intent[intent], quota[intent])]


def load_agent(model_path: Path) -> Any:
    """Rasa's own Agent, in this process, so parsing is exactly what the server would do."""
    if not model_path.is_file():
        raise EvaluationError(
            f"No trained model at {model_path}. Train one with `make train` "
            "(or pass another model with --model)."
        )
    print(f"loading model {model_path} ...", file=sys.stderr, flush=True)
    # Rasa and TensorFlow are slow to import and chatty: only after the arguments are checked.
    quiet_libraries()
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Without this, structlog prints every parse result at debug level.
    configure_logging_and_warnings(logging.ERROR)
    configure_structlog(logging.ERROR)
    return Agent.load(model_path)


async def parse_all(
    agent: Any, rows: Sequence[Row], progress: Callable[[int, float], None]
) -> list[Outcome]:
    """Parses row by row, as messages arrive in production, reporting progress as it goes."""
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    step = max(1, len(rows) // 20)
    for done, row in enumerate(rows, start=1):
        parsed = await agent.parse_message(row.text)
        outcomes.append(Outcome(row=row, predicted=parsed["intent"]["name"] or "None"))
        if done % step == 0 or done == len(rows):
            progress(done, time.perf_counter() - started)
    return outcomes


def share(outcomes: Iterable[Outcome]) -> tuple[float, int]:
    """Fraction of correct outcomes and how many there were."""
    items = list(outcomes)
    if not items:
        return float("nan"), 0
    return sum(outcome.correct for outcome in items) / len(items), len(items)


def format_share(outcomes: Iterable[Outcome]) -> str:
    """'0.934 (n=2968)', or '-' when there is nothing to measure."""
    value, count = share(outcomes)
    return f"{value:.3f} (n={count})" if count else "-"


def print_report(outcomes: Sequence[Outcome], top_errors: int) -> None:
    """Overall figures, then per tag, per intent, and the most common confusions."""
    in_scope = [outcome for outcome in outcomes if outcome.row.expected is not None]
    out_of_scope = [outcome for outcome in outcomes if outcome.row.expected is None]
    print("\n== Bitext NLU evaluation ==")
    print(f"in-scope accuracy:         {format_share(in_scope)}")
    print(f"out-of-scope -> fallback:  {format_share(out_of_scope)}")
    second = sum(1 for o in in_scope if o.predicted == ALSO_SERVED_BY.get(o.row.bitext_intent))
    print(f"in-scope rows right only by ALSO_SERVED_BY: {second}")

    print("\n-- per tag (a row carries several tags) --")
    print(f"{'tag':<24} {'in-scope accuracy':>20} {'out-of-scope -> fallback':>26}")
    for letter in sorted({letter for outcome in outcomes for letter in outcome.row.tags}):
        label = f"{letter} {TAG_NAMES.get(letter, '?')}"
        tagged_in = [outcome for outcome in in_scope if letter in outcome.row.tags]
        tagged_out = [outcome for outcome in out_of_scope if letter in outcome.row.tags]
        print(f"{label:<24} {format_share(tagged_in):>20} {format_share(tagged_out):>26}")

    print("\n-- per Bitext intent --")
    by_intent: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_intent[outcome.row.bitext_intent].append(outcome)
    for intent in sorted(by_intent, key=lambda name: (name not in INTENT_MAP, name)):
        targets = (INTENT_MAP.get(intent, "fallback"), ALSO_SERVED_BY.get(intent))
        target = "/".join(name for name in targets if name)
        print(f"{intent:<26} -> {target:<16} {format_share(by_intent[intent])}")

    print(f"\n-- most common errors (top {top_errors}) --")
    errors = Counter(
        (outcome.row.bitext_intent, outcome.row.expected or "fallback", outcome.predicted)
        for outcome in outcomes
        if not outcome.correct
    )
    for (intent, expected, predicted), count in errors.most_common(top_errors):
        print(f"{count:>5}  {intent:<26} expected {expected:<16} got {predicted}")


def print_progress(done: int, elapsed: float, total: int) -> None:
    """One line per step on stderr, so CI logs show the run is alive and how fast it goes."""
    rate = done / elapsed if elapsed > 0 else 0.0
    print(
        f"parsed {done}/{total} rows ({100 * done // total}%), {rate:.0f} rows/s",
        file=sys.stderr,
        flush=True,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.bitext_nlu",
        description="Run the trained NLU model over the Bitext customer-service data and "
        "print in-scope accuracy and the share of out-of-scope rows that end in fallback.",
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=DEFAULT_MODEL,
        help=f"model archive (default {DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"folder with the Bitext CSV files (default {DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="parse a stratified sample of N rows (the same sample every run)",
    )
    parser.add_argument(
        "--top-errors", type=int, default=15, help="how many confusions to list (default 15)"
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be a positive number of rows")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Loads data and model, parses every row, prints the figures."""
    args = parse_args(argv)
    try:
        rows = load_rows(args.data_dir)
        if args.limit is not None:
            rows = stratified_sample(rows, args.limit)
        agent = load_agent(args.model)
    except EvaluationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"parsing {len(rows)} Bitext rows ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    outcomes = asyncio.run(
        parse_all(agent, rows, lambda done, elapsed: print_progress(done, elapsed, len(rows)))
    )
    elapsed = time.perf_counter() - started
    print_report(outcomes, args.top_errors)
    print(f"\n{len(rows)} rows in {elapsed:.1f} s ({len(rows) / elapsed:.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
