"""Agreement between the two independent labellings of the mood test part (Cohen's kappa).

The test part (evaluation/data/mood_test.yml) was labelled by one annotator; 200 of its customer
turns were labelled again, independently, under the same guideline (mood/LABELLING.md) into
evaluation/data/mood_test_second_labels.yml. Kappa says how far the labels are a property of
the messages rather than of one annotator: figures on the set mean little above it.

    python -m evaluation.mood_agreement
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("calm", "annoyed", "frustrated")


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa of two labellings of the same items (1 = perfect, 0 = chance)."""
    if len(first) != len(second) or not first:
        raise ValueError("two labellings of the same, non-empty list of items are needed")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1.0 - expected)


def first_labels(path: Path) -> dict[tuple[str, int], str]:
    """(scenario id, customer turn index) -> label, from the test part."""
    labels: dict[tuple[str, int], str] = {}
    for scenario in yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]:
        users = [turn for turn in scenario["turns"] if "user" in turn]
        for index, turn in enumerate(users):
            labels[(scenario["id"], index)] = turn["label"]
    return labels


def main() -> None:
    """Prints the agreement and the confusion between the two labellings."""
    first = first_labels(DATA / "mood_test.yml")
    rows = yaml.safe_load((DATA / "mood_test_second_labels.yml").read_text(encoding="utf-8"))
    pairs = [(first[(row["scenario"], row["user_turn"])], row["label"]) for row in rows["labels"]]
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    agreement = sum(x == y for x, y in pairs) / len(pairs)
    kappa = cohen_kappa(a, b)
    print(f"items: {len(pairs)}  raw agreement: {agreement:.3f}  Cohen's kappa: {kappa:.3f}")
    print("first \\ second   " + "  ".join(f"{label:>10}" for label in LEVELS))
    confusion = Counter(pairs)
    for label in LEVELS:
        print(f"{label:<16} " + "  ".join(f"{confusion[(label, o)]:>10}" for o in LEVELS))


if __name__ == "__main__":
    main()
