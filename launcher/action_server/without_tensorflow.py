"""Keeps TensorFlow out of the action server, which never uses it.

spaCy's machine-learning library thinc imports TensorFlow whenever it is installed
(thinc/compat.py, to offer TensorFlow layers), and Rasa installs it. The action server runs
spaCy's rule-based pipeline only (mood/nlp.py) and numpy models (mood/model.py), yet loading
the actions pulled in TensorFlow and JAX: 554 MB resident after the first analysed message,
180 MB without, with the same scores (benchmarks/README.md). Marking TensorFlow as absent makes
thinc's import fail as if it were not installed, and thinc then leaves it aside.
"""

from __future__ import annotations

import sys

ABSENT = ("tensorflow",)


def keep_out() -> None:
    """Makes `import tensorflow` fail in this process; call before spaCy is imported."""
    if "thinc" in sys.modules:
        raise RuntimeError("keep_out() must run before spaCy (thinc) is imported")
    for name in ABSENT:
        sys.modules[name] = None  # type: ignore[assignment]
