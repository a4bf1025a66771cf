"""The settings kit: the only code that reads the environment, and the YAML reader and checker.

- `settings.env`: environment variables with one set of laptop defaults (`Env`), and the
  environment handed to child processes;
- `settings.secret_file`: secrets shared by several processes, from the environment or a
  generated owner-only file under VAR_DIR/secrets;
- `settings.yaml_file`: reading a config file and checking its sections, with errors that
  name the file and the dotted key.

Each package reads its settings through this kit in its own `settings.py` (actions, agent_desk,
launcher, mood, tickets, web, addons.channels), and each file under config/ is read by exactly
one module: config/handoff.yml by mood.settings, config/desk.yml by tickets.settings,
config/identity.yml and config/refund.yml by actions.settings, config/topics.yml by
contract.topics, config/agents.yml by agent_desk.accounts, config/canned_replies.yml by
agent_desk.canned.
"""
