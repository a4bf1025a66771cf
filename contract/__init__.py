"""The handoff contract: the names and readings every part of the system agrees on.

The action server, the Rasa server's channels and policy, the ticket store and the agent desk
meet in the tracker (its slots and events), Redis, and event metadata. Each name or reading is
defined once here and imported everywhere else:

- `contract.slots`: slot names and the customer's mood levels (and which slot is the authority);
- `contract.events`: readers of the tracker's events (a user event's intent, the turns since a
  hand-back, the conversation id);
- `contract.form_answers`: which customer messages answered a form's question;
- `contract.keys`: every Redis key and pub/sub channel;
- `contract.metadata`: what events carry in `metadata` (who spoke, the handoff responses);
- `contract.turns`: the per-turn analysis series, with its one writer and one reader;
- `contract.topics`: what each intent is about (config/topics.yml);
- `contract.labels`: plain words for the internal names people see (channels, cues, flows);
- `contract.privacy`: masking card numbers, emails and phone numbers in free text.

It imports nothing of the project's but the settings kit (contract.topics reads its file
through it), and no Rasa, so any part may depend on it.
"""
