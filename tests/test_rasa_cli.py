"""The training data and the dialogue, checked with Rasa's own tools on the trained model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.helpers import REPO_ROOT

# Each test runs the rasa CLI on the trained model: tens of seconds to minutes.
pytestmark = pytest.mark.system

MODEL = REPO_ROOT / "models" / "assistant.tar.gz"


def rasa(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    """Runs the rasa CLI of this venv; output is kept for the failure message."""
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PATH": "/usr/bin:/bin",
        },
    )


def test_data_validates_against_the_domain() -> None:
    result = rasa("data", "validate", "--domain", "domain", "--data", "data")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_story_tests_predict_every_action(tmp_path: Path) -> None:
    assert MODEL.exists(), "run deploy/setup.sh (make setup) to train the model first"
    result = rasa(
        "test",
        "core",
        "--model",
        str(MODEL),
        "--stories",
        "tests/test_stories.yml",
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-4000:]
    assert result.returncode == 0, details + result.stderr[-4000:]
