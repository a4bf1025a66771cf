"""`make score` and `make score-conversations` as a shop would run them: text in, JSON lines out."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from contract.slots import LEVELS

ROOT = Path(__file__).resolve().parents[2]


def run(target: str, text: str) -> list[dict]:
    """Runs the make target with `text` on stdin; every stdout line must be a JSON object."""
    done = subprocess.run(
        ["make", "-s", target],
        cwd=ROOT,
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=600,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


def test_score_writes_one_object_per_line_in_order() -> None:
    lines = [
        "where is my order?",
        "",
        "WHERE IS MY REFUND??? this is a joke",
        "ça marche, merci 🙂",
    ]
    records = run("score", "\n".join(lines) + "\n")
    assert len(records) == len(lines)
    assert [set(r) for r in records] == [{"sentiment", "frustration", "level", "reasons"}] * 4
    assert records[0]["level"] == "calm" and records[0]["reasons"] == []
    assert records[1] == {"sentiment": 0.0, "frustration": 0.0, "level": "calm", "reasons": []}
    assert records[2]["level"] == "frustrated"
    assert {"capitals", "exclamations"} <= set(records[2]["reasons"])
    assert all(-1 <= r["sentiment"] <= 1 and 0 <= r["frustration"] <= 1 for r in records)


def test_score_conversations_says_when_and_why_a_handoff_triggers() -> None:
    text = (
        "hi, where is order 10004?\n"
        "thanks, that's all!\n"
        "\n"
        "This is the third time I'm writing about order 10004\n"
        "\n"
        "where is my parcel\n"
        "it still hasn't arrived, this is not ok\n"
        "UNBELIEVABLE. nobody answers and it's a JOKE!!!\n"
    )
    records = run("score-conversations", text)
    assert len(records) == 6
    assert [r["handoff"] for r in records[:2]] == [False, False]
    assert records[2]["handoff_reason"] == "repeated_contact"
    # A first message's level is its own up to annoyed (mood/conversation.py `tone_level`);
    # "where is my parcel" is calm under mood/LABELLING.md but reads just annoyed (0.31) since
    # the support model learnt mood/training/intensity_turns.yml: a known misread.
    assert records[3]["handoff"] is False
    assert records[3]["conversation_level"] == min(records[3]["level"], "annoyed", key=LEVELS.index)
    assert records[5]["handoff"] is True and records[5]["handoff_reason"] == "frustration"
    assert records[5]["smoothed"] >= records[4]["smoothed"]
