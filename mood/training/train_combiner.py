"""Trains the combiner of a message's parts (mood/combiner.py) and chooses the levels' cut points.

    .venv/bin/python -m mood.training.train_combiner [--data-dir ../shared/data/goemotions]

Inputs, all out of sample for the models they come from: the labelled training turns (the
labelled set's `tuning` part and the customer turns of mood/training/*.yml) with the support
model's out-of-fold probabilities (5 folds, a scenario family's turns in one fold), and
GoEmotions `dev.tsv` (the GoEmotions model's outputs on its own train split are in-sample);
a plain answer the models do not score ("no thanks") keeps the cues' mix and is not fitted.
The gate (support-chat turn or not) is a character n-gram regression on the training turns
against 12,000 GoEmotions `train.tsv` comments, out-of-fold on the turns.
The gate's bias is chosen by the same cross-validation: the largest GoEmotions dev ROC AUC
among the biases whose training-turn figures (macro-F1 at their best cut points, upset and
frustrated ROC AUC) are each at least the hand-weighted mix's (the AUCs within `FLOOR_SLACK`);
the cut points are the best macro-F1 on the chosen out-of-fold scores, written into
config/handoff.yml with the score from which one message may hand over alone
(`handoff.single_message_threshold`). Test sets are never read. The plain-Python scorer is
checked against scikit-learn on every row before writing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, KFold

from contract.slots import ANNOYED, FRUSTRATED, LEVELS
from evaluation.sentiment_eval import DEFAULT_LABELLED, read_labelled
from mood.analyzer import CombinerInputs, TurnAnalyzer
from mood.combiner import DEFAULT_COMBINER, FEATURES, TEXT_CUES, Combiner, features
from mood.model import FORMAT, MessageWords, read_weights
from mood.settings import ModelCue, load_frustration_settings
from mood.training.cut_points import best_cut_points
from mood.training.train_frustration_model import DEFAULT_DATA_DIR, export, write_checked
from mood.training.train_support_model import DEFAULT_DIALOGUES, blocks, matrix

CONFIG = Path(__file__).resolve().parents[2] / "config" / "handoff.yml"
FOLDS = 5
GATE_COMMENTS = 12_000
GATE_BIASES = (-2.0, -1.0, 0.0, 1.0)
FLOOR_SLACK = (0.0, 0.001, 0.001)
"""How far below the hand-weighted mix's macro-F1, upset and frustrated ROC AUC a combiner may
fall and still be chosen: the AUCs move by more than 0.001 with the folds alone."""
SINGLE_MESSAGE_SHARE = 0.01
"""At most this share of the annoyed-labelled training turns reaches the one-message threshold."""
TARGET = ("anger", "annoyance", "disappointment", "disapproval", "disgust")
CHAT_SIDES = {
    "support model": ["support_annoyed_log_odds", "support_frustrated_log_odds"],
    "support model and cues": [
        "support_annoyed_log_odds",
        "support_frustrated_log_odds",
        *TEXT_CUES,
    ],
}
"""The support-chat side's candidate inputs, chosen by cross-validation. The GoEmotions
model's log-odds and VADER's compound are left out: collinear with the support model's own
inputs (it reads both), the side learnt negative or backwards weights for them."""


@dataclass(frozen=True)
class Turns:
    """The labelled training turns: text, level index and the fold group of each."""

    texts: list[str]
    levels: np.ndarray
    groups: list[str]


def read_turns(labelled: Path, dialogues: Sequence[Path]) -> Turns:
    """Every labelled training turn; a dialogue scenario's family (its id without the
    number) is one group, so turns written alike never sit on both sides of a fold."""
    rows = [(t, lv, f"tuning-{i}") for i, (t, lv) in enumerate(read_labelled(labelled)["tuning"])]
    for path in dialogues:
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]:
            family = re.sub(r"-t?\d+$", "", str(scenario["id"]))
            rows += [
                (str(turn["user"]), str(turn["label"]), f"{path.stem}-{family}")
                for turn in scenario["turns"]
                if "user" in turn and turn.get("label") in LEVELS
            ]
    return Turns(
        [t for t, _, _ in rows],
        np.array([LEVELS.index(lv) for _, lv, _ in rows]),
        [g for *_, g in rows],
    )


def read_comments(path: Path) -> tuple[list[str], np.ndarray]:
    """A GoEmotions file's comments and whether each has a TARGET label."""
    names = (path.parent / "emotions.txt").read_text(encoding="utf-8").split()
    wanted = {str(names.index(label)) for label in TARGET}
    texts, flags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, labels, _ = line.split("\t")
        texts.append(text)
        flags.append(bool(wanted & set(labels.split(","))))
    return texts, np.array(flags)


def out_of_fold_support(
    turns: Turns,
    inputs: list[CombinerInputs],
    folds: list[tuple[np.ndarray, np.ndarray]],
    model: ModelCue,
) -> list[CombinerInputs]:
    """The turns' inputs with the support model's probabilities, and the negative cue made
    from them, from folds that did not see them. C is the shipped model's (its file's `about`,
    chosen by train_support_model.py): at another C the folds' probabilities would be sharper
    or flatter than the ones the combiner reads at run time."""
    c = float(read_weights(model.support_weights_file)["about"]["C"])
    dense = np.array(
        [
            [np.log(i.goemotions / (1 - i.goemotions)) if i.goemotions else -5.0, i.compound]
            for i in inputs
        ]
    )
    found = np.zeros((len(inputs), len(LEVELS)))
    for train, test in folds:
        vectorizers = blocks()
        fitted = LogisticRegression(C=c, max_iter=5000).fit(
            matrix(vectorizers, [turns.texts[i] for i in train], dense[train], True),
            turns.levels[train],
        )
        found[test] = fitted.predict_proba(
            matrix(vectorizers, [turns.texts[i] for i in test], dense[test], False)
        )
    return [
        _with_support(i, dict(zip(LEVELS, map(float, row), strict=True)), model)
        if i.upset and i.goemotions is not None
        else i
        for i, row in zip(inputs, found, strict=True)
    ]


def _with_support(
    inputs: CombinerInputs, upset: dict[str, float], model: ModelCue
) -> CombinerInputs:
    """The inputs with other support-model probabilities."""
    assert inputs.goemotions is not None
    negative = model.strength(upset[ANNOYED], upset[FRUSTRATED], inputs.goemotions)
    return replace(inputs, upset=upset, strengths={**inputs.strengths, "negative": negative})


def gate_fitter(comments: list[str]) -> Callable[[list[str]], tuple[Any, LogisticRegression]]:
    """Fits the gate on the given turns (1) against the comments (0)."""

    def fit(texts: list[str]) -> tuple[Any, LogisticRegression]:
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=5
        )
        fitted = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(
            vectorizer.fit_transform(comments + texts), [0] * len(comments) + [1] * len(texts)
        )
        return vectorizer, fitted

    return fit


def rows_of(inputs: Sequence[CombinerInputs]) -> np.ndarray:
    """The combiner's feature rows."""
    return np.array([features(i.goemotions, i.upset, i.compound, i.strengths) for i in inputs])


@dataclass
class Sides:
    """The two regressions: support-chat turns (upset, frustrated) and other text (upset). The
    support-chat side reads only the `columns` of the features (`CHAT_SIDES`); the others
    count 0 in the weights file."""

    upset: LogisticRegression
    frustrated: LogisticRegression
    other: LogisticRegression
    columns: list[int]

    @classmethod
    def fit(
        cls,
        turns: np.ndarray,
        levels: np.ndarray,
        comments: np.ndarray,
        flags: np.ndarray,
        columns: list[int],
    ) -> Sides:
        def lr(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
            return LogisticRegression(C=1.0, max_iter=5000).fit(x, y)

        chat = turns[:, columns]
        return cls(lr(chat, levels >= 1), lr(chat, levels == 2), lr(comments, flags), columns)

    def chat(self, x: np.ndarray) -> np.ndarray:
        """The support-chat side: the mean of P(upset) and P(frustrated)."""
        kept = x[:, self.columns]
        found: np.ndarray = (
            self.upset.predict_proba(kept)[:, 1] + self.frustrated.predict_proba(kept)[:, 1]
        )
        return found / 2

    def text(self, x: np.ndarray) -> np.ndarray:
        """The other-text side: P(a GoEmotions negative label)."""
        found: np.ndarray = self.other.predict_proba(x)[:, 1]
        return found


def mixed(chat: np.ndarray, other: np.ndarray, gate: np.ndarray, bias: float) -> np.ndarray:
    """`Combiner.score` on arrays."""
    clipped = np.clip(gate, 1e-4, 1 - 1e-4)
    weight = 1 / (1 + np.exp(-(np.log(clipped / (1 - clipped)) - bias)))
    found: np.ndarray = weight * chat + (1 - weight) * other
    return found


def on_top(score: np.ndarray, cues: np.ndarray) -> np.ndarray:
    """The text cues' mix added to a score as independent evidence (`TurnAnalyzer`)."""
    found: np.ndarray = 1 - (1 - score) * (1 - cues)
    return found


def best_cuts(scores: np.ndarray, levels: np.ndarray) -> tuple[float, float, float]:
    """(macro-F1, annoyed from, frustrated from) of the best pair among the 2nd..98th
    percentiles of the scores (the shared search of mood/training/cut_points.py)."""
    found = best_cut_points(scores, levels, grid=np.quantile(scores, np.linspace(0.02, 0.98, 97)))
    return found.macro_f1, found.annoyed_from, found.frustrated_from


def figures(
    scores: np.ndarray, levels: np.ndarray, dev: np.ndarray, flags: np.ndarray
) -> tuple[float, ...]:
    """Training-turn macro-F1 at the best cut points, upset and frustrated ROC AUC, dev AUC."""
    return (
        best_cuts(scores, levels)[0],
        float(roc_auc_score(levels >= 1, scores)),
        float(roc_auc_score(levels == 2, scores)),
        float(roc_auc_score(flags, dev)),
    )


def single_message_threshold(calibrated: np.ndarray, levels: np.ndarray) -> float:
    """`handoff.single_message_threshold`: the score that at most `SINGLE_MESSAGE_SHARE` of the
    annoyed-labelled turns reach (their out-of-fold scores as the conversation reads them), so
    one annoyed message hardly ever hands over alone; a frustrated one needs a second message
    or a strong cue. The shares of each label reaching it are printed."""
    found = float(np.quantile(calibrated[levels == 1], 1.0 - SINGLE_MESSAGE_SHARE))
    shares = ", ".join(
        f"{name} {np.mean(calibrated[levels == i] >= found):.1%}" for i, name in enumerate(LEVELS)
    )
    print(f"single-message threshold {found:.3f}; turns reaching it: {shares}")
    return found


def write_cut_points(values: dict[str, float], config: Path = CONFIG) -> None:
    """Sets each key (`levels.message_annoyed_from`, `message_frustrated_from`,
    `handoff.single_message_threshold`: each name is used once in the file) in the config."""
    text = config.read_text(encoding="utf-8")
    for key, value in values.items():
        text, count = re.subn(rf"(?m)^(  {key}: )\S+$", rf"\g<1>{value:.3f}", text)
        if count != 1:
            raise ValueError(f"{config}: no single '{key}' line")
    config.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Cross-validates, chooses the gate's bias and the cut points, checks, writes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_COMBINER)
    args = parser.parse_args(argv)
    turns = read_turns(DEFAULT_LABELLED, DEFAULT_DIALOGUES)
    dev_texts, flags = read_comments(args.data_dir / "dev.tsv")
    train_texts, _ = read_comments(args.data_dir / "train.tsv")
    rng = np.random.default_rng(0)
    comments = [
        train_texts[i] for i in sorted(rng.choice(len(train_texts), GATE_COMMENTS, replace=False))
    ]
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    folds = list(GroupKFold(FOLDS).split(turns.texts, turns.levels, turns.groups))
    inputs = out_of_fold_support(
        turns, analyzer.combiner_inputs(turns.texts), folds, settings.model
    )
    dev_inputs = analyzer.combiner_inputs(dev_texts)
    x, dev_x = rows_of(inputs), rows_of(dev_inputs)
    modelled = np.array([bool(i.upset) for i in inputs])
    dev_modelled = np.array([bool(i.upset) for i in dev_inputs])
    fit_gate = gate_fitter(comments)
    gate = np.ones(len(inputs))
    sides_of = {name: [FEATURES.index(f) for f in names] for name, names in CHAT_SIDES.items()}
    chat = {name: np.zeros(len(inputs)) for name in sides_of}
    dev_chat = {name: np.zeros(len(dev_x)) for name in sides_of}
    other, dev_other = np.zeros(len(inputs)), np.zeros(len(dev_x))
    dev_folds = list(KFold(FOLDS, shuffle=True, random_state=0).split(dev_x))
    for (train, test), (dev_train, dev_test) in zip(folds, dev_folds, strict=True):
        vectorizer, fitted = fit_gate([turns.texts[i] for i in train])
        gate[test] = fitted.predict_proba(vectorizer.transform([turns.texts[i] for i in test]))[
            :, 1
        ]
        kept, dev_kept = train[modelled[train]], dev_train[dev_modelled[dev_train]]
        for name, columns in sides_of.items():
            sides = Sides.fit(
                x[kept], turns.levels[kept], dev_x[dev_kept], flags[dev_kept], columns
            )
            chat[name][test], dev_chat[name][dev_test] = (
                sides.chat(x[test]),
                sides.chat(dev_x[dev_test]),
            )
        other[test], dev_other[dev_test] = sides.text(x[test]), sides.text(dev_x[dev_test])
    vectorizer, gate_model = fit_gate(turns.texts)
    dev_gate = gate_model.predict_proba(vectorizer.transform(dev_texts))[:, 1]
    mix = np.array([analyzer.cue_mix(i.strengths) for i in inputs])
    dev_mix = np.array([analyzer.cue_mix(i.strengths) for i in dev_inputs])
    cues = np.array([analyzer.text_cue_mix(i.strengths) for i in inputs])
    dev_cues = np.array([analyzer.text_cue_mix(i.strengths) for i in dev_inputs])

    def scored(name: str, bias: float) -> tuple[np.ndarray, np.ndarray]:
        """The text scores of the turns and the dev rows (the text cues' mix on top of the
        combiner's, as `TurnAnalyzer` adds it); a plain answer keeps the cues' mix."""
        return (
            np.where(modelled, on_top(mixed(chat[name], other, gate, bias), cues), mix),
            np.where(
                dev_modelled,
                on_top(mixed(dev_chat[name], dev_other, dev_gate, bias), dev_cues),
                dev_mix,
            ),
        )

    floor = figures(mix, turns.levels, dev_mix, flags)
    print("out of fold: macro-F1, upset AUC, frustrated AUC, GoEmotions dev AUC")
    print("hand-weighted mix      " + " ".join(f"{v:.4f}" for v in floor))
    found = {}
    for name in sides_of:
        for bias in GATE_BIASES:
            turn_scores, dev_scores = scored(name, bias)
            found[name, bias] = figures(turn_scores, turns.levels, dev_scores, flags)
            print(
                f"chat side: {name}, gate bias {bias:+.0f} "
                + " ".join(f"{v:.4f}" for v in found[name, bias])
            )
    allowed = [
        key
        for key, got in found.items()
        if all(f >= m - slack for f, m, slack in zip(got[:3], floor[:3], FLOOR_SLACK, strict=True))
    ]
    if not allowed:
        print("error: no combiner keeps the training turns at the mix's figures", file=sys.stderr)
        return 1
    name, bias = max(allowed, key=lambda key: found[key][3])
    chosen_scores = scored(name, bias)[0]
    _, annoyed, frustrated = best_cuts(chosen_scores, turns.levels)
    print(f"chosen: {name}, gate bias {bias:+.0f}; cut points {annoyed:.3f} / {frustrated:.3f}")
    levels = replace(
        settings.levels, message_annoyed_from=annoyed, message_frustrated_from=frustrated
    )
    single = single_message_threshold(
        np.array([levels.calibrated(float(v)) for v in chosen_scores]), turns.levels
    )
    sides = Sides.fit(
        x[modelled],
        turns.levels[modelled],
        dev_x[dev_modelled],
        flags[dev_modelled],
        sides_of[name],
    )
    raw = export_combiner(
        vectorizer,
        gate_model,
        sides,
        bias,
        {
            "data": "labelled training turns (support model out of fold), GoEmotions dev.tsv; gate:"
            f" the turns against {GATE_COMMENTS} GoEmotions train.tsv comments",
            "cv": dict(
                zip(
                    ("macro_f1", "upset_auc", "frustrated_auc", "goemotions_dev_auc"),
                    (round(v, 4) for v in found[name, bias]),
                    strict=True,
                )
            ),
            "trained_by": "mood/training/train_combiner.py",
        },
    )
    all_texts = [
        t
        for t, kept in zip(
            turns.texts + dev_texts, np.concatenate([modelled, dev_modelled]), strict=True
        )
        if kept
    ]
    all_x = np.vstack([x[modelled], dev_x[dev_modelled]])
    full_gate = gate_model.predict_proba(vectorizer.transform(all_texts))[:, 1]
    expected = mixed(sides.chat(all_x), sides.text(all_x), full_gate, bias)
    scorer = Combiner(raw)
    plain_gate = scorer.gates([MessageWords.of(t) for t in all_texts])
    got = np.array([scorer.score(list(row), g) for row, g in zip(all_x, plain_gate, strict=True)])
    status = write_checked(raw, float(np.max(np.abs(got - expected))), args.out)
    if status == 0:
        write_cut_points(
            {
                "message_annoyed_from": annoyed,
                "message_frustrated_from": frustrated,
                "single_message_threshold": single,
            }
        )
        print(f"wrote the cut points to {CONFIG}")
    return status


def export_combiner(
    vectorizer: TfidfVectorizer,
    gate: LogisticRegression,
    sides: Sides,
    bias: float,
    about: dict[str, Any],
) -> dict[str, Any]:
    """The combiner file's content."""

    def linear(model: LogisticRegression, columns: Sequence[int]) -> dict[str, Any]:
        coef = dict(zip(columns, model.coef_[0], strict=True))
        return {
            "coef": [round(float(coef.get(k, 0.0)), 6) for k in range(len(FEATURES))],
            "intercept": round(float(model.intercept_[0]), 6),
        }

    return {
        "format": FORMAT,
        "about": about,
        "features": list(FEATURES),
        "gate": export([vectorizer], gate, {}, (), ((3, 5),), ("char",)),
        "gate_bias": bias,
        "support_chat": {
            "upset": linear(sides.upset, sides.columns),
            "frustrated": linear(sides.frustrated, sides.columns),
        },
        "other_text": {"upset": linear(sides.other, range(len(FEATURES)))},
    }


if __name__ == "__main__":
    sys.exit(main())
