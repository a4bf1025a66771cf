"""Per-turn sentiment and frustration of customer messages, and the conversation's mood.

Pure Python (spaCy rules + VADER), no Rasa imports: the action server feeds it each message
and the dialogue signals it knows, and keeps the mood in slots. Import from the modules
(`mood.settings` alone does not load spaCy, so the agent desk can read thresholds cheaply):

    settings = load_frustration_settings()                 # mood.settings
    analyzer = TurnAnalyzer(settings)                      # mood.analyzer; once per process
    turn = analyzer.analyze(text, DialogueSignals(consecutive_failures=1))
    mood = ConversationMood.from_slots(frustration_score, sentiment_score, turns)
    mood = mood.update(turn, settings)                     # mood.conversation
    mood.should_hand_over(settings)
"""
