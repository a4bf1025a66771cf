"""An NLU pipeline component that decides, before any flow can start, that a message is empty
or looks like an injection attempt (nlu_guard/message_guard.py)."""
