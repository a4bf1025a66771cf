"""Cohen's kappa as the closing note reports it for the two labellings of the mood test part."""

from __future__ import annotations

import pytest

from evaluation.mood_agreement import cohen_kappa


def test_identical_labellings_agree_perfectly() -> None:
    assert cohen_kappa(["calm", "annoyed", "calm"], ["calm", "annoyed", "calm"]) == 1.0


def test_a_textbook_example() -> None:
    # 50 items: both yes 20, both no 15, first yes/second no 5, first no/second yes 10.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)


def test_agreement_no_better_than_chance_is_zero() -> None:
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == pytest.approx(0.0)


def test_labellings_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        cohen_kappa(["calm"], ["calm", "calm"])
