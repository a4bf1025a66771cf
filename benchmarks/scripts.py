"""What the simulated customers say to each bot: the same load shape, each bot's own topics.

Our mix is the routine traffic the assistant exists for. The refund stops at the reason
question, so no refund is created and every run finds the demo shop as it started.
The stock bot is Rasa's example ("moodbot"), which only knows greetings and moods.
"""

from __future__ import annotations

from benchmarks.load import Script, Step

OUR_SCRIPTS: tuple[Script, ...] = (
    (Step("hello there", "assistant"), Step("where is my order 10001?", "10001")),
    (Step("has order 10003 shipped yet", "10003"),),
    (Step("how do returns work at your shop?", "return"), Step("ok thanks", "")),
    (
        Step("I'd like my money back please", "order number"),
        # The customer proves the order is theirs before anything personal (issue 10).
        Step("it's order 10002", "email address"),
        Step("alice@example.com", "what went wrong"),
    ),
    (Step("hi", "assistant"), Step("any news on parcel 10003?", "10003")),
)

STOCK_SCRIPTS: tuple[Script, ...] = (
    (Step("hello", "how are you"), Step("I am sad", "cheer you up")),
    (Step("hi there", "how are you"), Step("I am great", "great")),
    (Step("are you a bot?", "bot"), Step("bye", "bye")),
    (Step("hey", "how are you"), Step("I feel very unhappy", "cheer you up")),
    (Step("good morning", "how are you"), Step("goodbye", "bye")),
)

# Turns of a long conversation, repeated up to its length (benchmarks/long_conversation.py).
# None of them asks for the same kind of thing twice (config/topics.yml: a delivery question
# asked again reads as the customer not being helped, and within a dozen turns a person takes
# over); each still runs the per-turn analysis (action_read_turn) and a prediction.
OUR_LONG_STEPS: tuple[Step, ...] = (
    Step("hello there", "assistant"),
    Step("how do returns work at your shop?", "return"),
    Step("how much does shipping cost?", "shipping"),
    Step("ok thanks", ""),
    Step("are you a bot?", "automated assistant"),
)
STOCK_LONG_STEPS: tuple[Step, ...] = (
    Step("hello", "how are you"),
    Step("I am great", "great"),
    Step("are you a bot?", "bot"),
)
