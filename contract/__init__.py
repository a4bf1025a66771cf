"""The handoff contract: the names every part of the system agrees on.

The action server, the Rasa server's channels and policy, the ticket store and the agent desk
meet in three places: the tracker's slots, Redis, and event metadata. Each name is defined once
here and imported everywhere else:

- `contract.slots`: slot names and the customer's mood levels (and which slot is the authority);
- `contract.keys`: every Redis key and pub/sub channel;
- `contract.metadata`: what bot events carry in `metadata` (who spoke);
- `contract.turns`: the per-turn analysis series, with its one writer and one reader;
- `contract.topics`: what each intent is about (config/topics.yml).

This package imports nothing of the project's, so any part may depend on it.
"""
