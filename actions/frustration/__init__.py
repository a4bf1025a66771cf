"""Per-turn sentiment and frustration of customer messages, and the conversation's mood.

Pure Python (spaCy rules + VADER), no Rasa imports: the action server feeds it each message
and the dialogue signals it knows, and keeps the mood in slots.

    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)          # build once per process
    turn = analyzer.analyze(text, DialogueSignals(consecutive_failures=1))
    mood = ConversationMood.from_slots(frustration_score, sentiment_score, turns)
    mood = mood.update(turn, settings)
    mood.should_hand_over(settings)
"""
from actions.frustration.analyzer import DialogueSignals, TurnAnalyzer, TurnScore
from actions.frustration.conversation import ConversationMood
from actions.frustration.settings import (
    FrustrationConfigError,
    FrustrationSettings,
    load_frustration_settings,
)

__all__ = [
    "ConversationMood",
    "DialogueSignals",
    "FrustrationConfigError",
    "FrustrationSettings",
    "TurnAnalyzer",
    "TurnScore",
    "load_frustration_settings",
]
