"""config/topics.yml: one mapping of intents, read by the handoff triggers and the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.topics import load_topics, parse_topics
from harness.helpers import REPO_ROOT
from settings.yaml_file import ConfigError


def test_the_shipped_topics_group_refund_requests_together() -> None:
    topics = load_topics()
    assert topics.groups["request_refund"] == topics.groups["refund_status"] == "refund"
    assert "out_of_scope" not in topics.groups
    assert topics.labels["check_delivery"] == "where an order is"


def test_every_grouped_intent_exists_in_the_domain() -> None:
    domain_text = "".join(p.read_text() for p in (REPO_ROOT / "domain").glob("*.yml"))
    for intent in load_topics().labels:
        assert f"- {intent}" in domain_text, f"{intent} is not an intent of the domain"


def test_a_topic_without_a_label_is_refused() -> None:
    with pytest.raises(ConfigError, match="'check_delivery.label' is missing"):
        parse_topics({"check_delivery": {"group": "delivery"}}, Path("topics.yml"))
