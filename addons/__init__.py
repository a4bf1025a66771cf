"""What the Rasa server loads from the project's config.yml, endpoints.yml and credentials.yml.

- `addons.tokenizer`, `addons.message_guard`: NLU pipeline components (config.yml);
- `addons.handoff_policy`: the dialogue policy that hands over to a person (config.yml);
- `addons.channels`: the customer channels (credentials.yml);
- `addons.stores`: the Redis tracker and lock stores (endpoints.yml), which also install
  `addons.speedups`, the measured speed-ups of Rasa's own internals.

Nothing else in the project runs inside the Rasa server.
"""
