"""Reviewed messages as Rasa NLU training data: `python -m agent_desk.review_export`, and the
Review page's export button (agent_desk/review_views.py).

Writes data/nlu/reviewed.yml (or --out) from every message staff gave an intent on the Review
page; "out of scope" ones go under the `out_of_scope` intent. `make train` (and `make run`,
which retrains when data/ changed) reads every file under data/, so the next model learns them.

- Only the masked text the store holds is written, masked once more on the way out
  (analytics/review_store.py: stand-ins for emails, phone numbers and addresses).
- De-duplicated: one line per text (case and spacing ignored); a text reviewed twice keeps
  its latest intent; a text already among the hand-written examples (data/nlu/, any intent)
  is left out, so a reviewer cannot contradict the examples the team wrote.
- Square brackets become round ones, so no customer text reads as an entity annotation.
- The file is rewritten whole from the store each time (write to a temporary file, then
  rename), so an item reopened on the page leaves the file at the next export.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import redis
import yaml

from analytics.review_store import ReviewItem, ReviewStore, mask_for_review, normalized
from settings.env import PROJECT_ROOT, Env
from tickets.store import connect

DEFAULT_OUT = PROJECT_ROOT / "data" / "nlu" / "reviewed.yml"
OUT_OF_SCOPE = "out_of_scope"
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")

HEADER = """\
# Written by `python -m agent_desk.review_export` (or the agent desk's Review page) from the
# customer messages staff reviewed: do not edit by hand, the next export rewrites this file.
# Personal data was replaced by stand-ins before the messages were stored.
"""


@dataclass
class Export:
    """What an export wrote, and what it left out."""

    path: Path
    by_intent: dict[str, list[str]] = field(default_factory=dict)
    already_in_data: list[str] = field(default_factory=list)

    @property
    def examples(self) -> int:
        """Lines written."""
        return sum(len(texts) for texts in self.by_intent.values())

    def summary(self) -> str:
        """One sentence for the page and the terminal."""
        intents = len(self.by_intent)
        said = (
            f"Wrote {self.examples} example{'s' * (self.examples != 1)} "
            f"({intents} intent{'s' * (intents != 1)}) to {shown_path(self.path)}."
        )
        if self.already_in_data:
            said += f" Left out {len(self.already_in_data)} already in the training data."
        return said + " Retrain with make train."


def shown_path(path: Path) -> str:
    """The path relative to the project when it is inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def example_text(text: str) -> str:
    """A reviewed text as one safe example line."""
    return mask_for_review(text).replace("[", "(").replace("]", ")")


def written_examples(nlu_dir: Path, skip: Path) -> set[str]:
    """Every example text (normalised, annotations read as their words) of the NLU files in
    `nlu_dir` other than `skip`."""
    found: set[str] = set()
    for path in sorted(nlu_dir.glob("*.yml")):
        if path.resolve() == skip.resolve():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    plain = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", line[2:])
                    found.add(normalized(plain))
    return found


def build(items: Iterable[ReviewItem], existing: set[str], path: Path) -> Export:
    """The examples per intent: latest review wins, duplicates and known texts left out."""
    latest: dict[str, tuple[str, str]] = {}
    for item in sorted(items, key=lambda i: i.reviewed_at):
        text = example_text(item.text)
        if text:
            latest[normalized(text)] = (item.label, text)
    export = Export(path)
    for key, (intent, text) in sorted(latest.items(), key=lambda kv: (kv[1][0], kv[0])):
        if key in existing:
            export.already_in_data.append(text)
        else:
            export.by_intent.setdefault(intent, []).append(text)
    return export


def render(export: Export) -> str:
    """The export as a Rasa 3.x NLU YAML file."""
    lines = [HEADER, 'version: "3.1"', ""]
    if not export.by_intent:
        return "\n".join([*lines, "nlu: []", ""])
    lines.append("nlu:")
    for intent, texts in export.by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    return "\n".join([*lines, ""])


def write_export(store: ReviewStore, path: Path = DEFAULT_OUT) -> Export:
    """Writes the reviewed messages to `path` (atomically) and says what was written; texts
    already in the other NLU files beside `path` are left out."""
    export = build(store.labelled(), written_examples(path.parent, path), path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".reviewed-", suffix=".yml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(render(export))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return export


def main(argv: list[str] | None = None) -> int:
    """Exports the reviewed messages; prints what was written."""
    env = Env()
    parser = argparse.ArgumentParser(prog="python -m agent_desk.review_export", description=__doc__)
    parser.add_argument("--out", type=Path, default=env.path("REVIEW_EXPORT_FILE", DEFAULT_OUT))
    parser.add_argument(
        "--redis-url", default=env.redis_url(), help="default: REDIS_URL, else the embedded Redis"
    )
    args = parser.parse_args(argv)
    try:
        export = write_export(ReviewStore(connect(args.redis_url)), args.out)
    except redis.RedisError as error:
        print(f"error: Redis at {args.redis_url} does not answer: {error}", file=sys.stderr)
        return 1
    print(export.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
