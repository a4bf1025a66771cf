"""The Review page through Flask's test client on a real Redis: what a signed-in agent sees,
one-click reviews, the export to Rasa NLU data, and the misunderstood share on /analytics."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from agent_desk.i18n import KOREAN, AgentLanguages
from agent_desk.review_export import main as export_main
from analytics.review_store import (
    CORRECTED,
    DISAMBIGUATED,
    FALLBACK,
    ReviewStore,
    Sighting,
    mask_for_review,
)
from tests.agent_desk.desk_helpers import T0, DeskUnderTest, post
from tickets.store import connect

DAY = "2027-01-15"  # T0 in Europe/London


@pytest.fixture
def export_file(desk: DeskUnderTest, tmp_path: Path) -> Path:
    """The export writes into a copy's data/nlu, never the project's."""
    nlu = tmp_path / "data" / "nlu"
    nlu.mkdir(parents=True)
    (nlu / "delivery.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: check_delivery\n  examples: |\n'
        "    - where is my [10003](order_number) parcel\n",
        encoding="utf-8",
    )
    path = nlu / "reviewed.yml"
    desk.desk.settings = dataclasses.replace(desk.settings, review_export_file=path)
    return path


def store(desk: DeskUnderTest) -> ReviewStore:
    return ReviewStore(connect(desk.settings.redis_url))


def sighting(text: str, predicted: str, reason: str = FALLBACK, **kwargs: object) -> Sighting:
    values: dict[str, object] = {
        "text": text,
        "predicted": predicted,
        "confidence": 0.42,
        "reason": reason,
        "channel": "socketio",
        "ts": T0 - 60,
        "message": f"conv@1|{text}",
    }
    values.update(kwargs)
    return Sighting(**values)  # type: ignore[arg-type]


def keep_three(desk: DeskUnderTest) -> None:
    """Two messages read as check_delivery (one seen twice), one as refund_status."""
    kept = store(desk)
    kept.keep(sighting("the parcel's gone walkabout", "check_delivery"))
    kept.keep(sighting("The parcel's  gone WALKABOUT", "check_delivery", message="other@1|1"))
    kept.keep(
        sighting(
            "when do i get my dosh back, mail me at jo.bloggs@mail.example",
            "refund_status",
            reason=DISAMBIGUATED,
            picked="request_refund",
        )
    )
    kept.keep(sighting("is it raining at the depot", "check_delivery", reason=CORRECTED))


def test_a_korean_agent_reviews_in_korean(desk: DeskUnderTest) -> None:
    keep_three(desk)
    AgentLanguages(connect(desk.settings.redis_url)).set("sam", KOREAN)
    page = desk.agent("sam").get("/review").get_data(True)
    assert "검토할 메시지 3개" in page and "어시스턴트의 짐작: 주문 배송 상태" in page
    assert "고객이 답변이 도움이 안 됐다고 함" in page and "범위 밖" in page
    assert "messages to review" not in page and "Out of scope" not in page
    assert "Where an order is" not in page and "Complaint" not in page  # intent names


def test_the_review_page_groups_misread_messages_by_prediction_with_counts(
    desk: DeskUnderTest,
) -> None:
    keep_three(desk)
    sam = desk.agent("sam")  # any signed-in agent reviews, not only leads
    assert 'href="/review"' in sam.get("/").get_data(True)
    page = sam.get("/review").get_data(True)
    assert "3 messages to review" in page
    assert "The assistant thought: Where an order is" in page
    assert "(3 messages)" in page  # walkabout twice (one item) + depot
    assert "seen 2 times" in page
    assert "customer picked <strong>A refund</strong>" in page
    assert "customer said the answer did not help" in page
    # Personal data never reaches the page: the email became a stand-in.
    assert "jo.bloggs" not in page and "name@example.com" in page
    # The one-click choices of the disambiguated message: the pick first.
    assert 'value="request_refund" class="primary"' in page
    assert 'value="out_of_scope">Out of scope' in page
    for never in ("blank", "unsafe_input", "nlu_fallback"):
        assert f'<option value="{never}"' not in page


def test_signed_out_visitors_and_forged_posts_are_refused(desk: DeskUnderTest) -> None:
    keep_three(desk)
    visitor = desk.app.test_client()
    assert visitor.get("/review").status_code == 302
    alex = desk.agent("alex")
    [item] = [i for i in store(desk).pending() if "walkabout" in i.text]
    forged = alex.post(f"/review/{item.id}", data={"intent": "check_delivery"})
    assert forged.status_code == 400 and "security token" in forged.get_data(True)
    assert store(desk).get(item.id).status == "pending"  # type: ignore[union-attr]


def test_one_click_labels_and_the_export_writes_rasa_nlu_data(
    desk: DeskUnderTest, export_file: Path
) -> None:
    keep_three(desk)
    alex = desk.agent("alex")
    items = {i.text: i for i in store(desk).pending()}
    walkabout = items["the parcel's gone walkabout"]
    dosh = next(i for t, i in items.items() if t.startswith("when do i"))
    depot = items["is it raining at the depot"]
    done = post(alex, f"/review/{walkabout.id}", "/review", intent="check_delivery")
    assert done.status_code == 303
    page = alex.get("/review").get_data(True)
    assert "is now an example of Where an order is" in page
    assert "2 messages to review" in page and "Recently reviewed" in page
    post(alex, f"/review/{dosh.id}", "/review", intent="other", other="request_refund")
    post(alex, f"/review/{depot.id}", "/review", intent="out_of_scope")
    refused = post(alex, f"/review/{depot.id}", "/review", intent="blank")
    assert refused.status_code == 400

    exported = post(alex, "/review/export", "/review")
    assert exported.status_code == 303
    page = alex.get("/review").get_data(True)
    assert "Wrote 3 examples (3 intents)" in page
    data = yaml.safe_load(export_file.read_text(encoding="utf-8"))
    by_intent = {b["intent"]: b["examples"] for b in data["nlu"]}
    assert by_intent == {
        "check_delivery": "- the parcel's gone walkabout\n",
        "out_of_scope": "- is it raining at the depot\n",
        "request_refund": "- when do i get my dosh back, mail me at name@example.com\n",
    }
    assert "jo.bloggs" not in export_file.read_text(encoding="utf-8")
    # Rasa reads it as training data.
    training = load_data(str(export_file))
    assert sorted(m.get("intent") for m in training.intent_examples) == [
        "check_delivery",
        "out_of_scope",
        "request_refund",
    ]
    download = alex.get("/review/reviewed.yml")
    assert download.get_data(True) == export_file.read_text(encoding="utf-8")


def test_the_export_skips_duplicates_and_texts_the_team_already_wrote(
    desk: DeskUnderTest, export_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = store(desk)
    kept.keep(sighting("Where is my 10003 parcel", "check_delivery"))  # in delivery.yml
    kept.keep(sighting("send [me](x) a refund", "refund_status"))
    for item in kept.pending():
        kept.label(item.id, "request_refund", "alex", T0)
    # Relabelled later: the latest review wins.
    [first] = [i for i in kept.reviewed() if "10003" in i.text]
    kept.label(first.id, "check_delivery", "sam", T0 + 5)
    code = export_main(["--out", str(export_file), "--redis-url", desk.settings.redis_url])
    assert code == 0
    said = capsys.readouterr().out
    assert (
        "Wrote 1 example (1 intent)" in said and "Left out 1 already in the training data" in said
    )
    data = yaml.safe_load(export_file.read_text(encoding="utf-8"))
    # Brackets would read as an entity annotation: they become round ones.
    assert data["nlu"] == [{"intent": "request_refund", "examples": "- send (me)(x) a refund\n"}]


def test_undo_puts_a_message_back_and_the_next_export_leaves_it_out(
    desk: DeskUnderTest, export_file: Path
) -> None:
    keep_three(desk)
    alex = desk.agent("alex")
    [item] = [i for i in store(desk).pending() if "walkabout" in i.text]
    post(alex, f"/review/{item.id}", "/review", intent="check_delivery")
    post(alex, "/review/export", "/review")
    assert "walkabout" in export_file.read_text(encoding="utf-8")
    post(alex, f"/review/{item.id}/reopen", "/review")
    post(alex, "/review/export", "/review")
    assert yaml.safe_load(export_file.read_text(encoding="utf-8"))["nlu"] == []
    dismissed = post(alex, f"/review/{item.id}", "/review", dismiss="1")
    assert dismissed.status_code == 303
    page = alex.get("/review").get_data(True)
    assert "Dismissed" in page and "walkabout" in page.split("Recently reviewed")[1]


def test_analytics_show_the_share_of_messages_misunderstood_per_day(desk: DeskUnderTest) -> None:
    recorder = desk.desk.recorder
    for misread in (0, 1, 0, 1):
        recorder.answered("socketio", misread, T0)
    alex = desk.agent("alex")
    page = alex.get("/analytics", query_string={"from": DAY, "to": DAY}).get_data(True)
    assert "Share of messages misunderstood" in page
    rows = list(
        csv.reader(
            io.StringIO(
                alex.get("/analytics/misunderstood.csv", query_string={"from": DAY, "to": DAY})
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert rows == [
        ["Day", "Messages answered", "Misunderstood", "Misunderstood (%)"],
        [DAY, "4", "2", "50"],
        ["All days", "4", "2", "50"],
    ]
    chart = alex.get("/analytics/charts/misunderstood.svg", query_string={"from": DAY, "to": DAY})
    assert chart.status_code == 200 and "<svg" in chart.get_data(True)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("call me on +44 7700 900123", "call me on 020 7946 0000"),
        ("card 4111 1111 1111 1111 pls", "card **** **** **** 1111 pls"),
        ("send it to 10 Downing Street, SW1A 2AA", "send it to 1 High Street, AB1 2CD"),
        ("jo@x.co.uk about order 10003", "name@example.com about order 10003"),
    ],
)
def test_personal_data_is_replaced_before_storage_and_masking_again_changes_nothing(
    text: str, kept: str
) -> None:
    assert mask_for_review(text) == kept
    assert mask_for_review(kept) == kept
