"""The settings kit: the only code that reads the environment, and the YAML checker.

- `settings.env`: environment variables with one set of laptop defaults (`Env`), and the
  environment handed to child processes;
- `settings.yaml_file`: reading a config file and checking its sections, with errors that
  name the file and the dotted key;
- `settings.checks`: rules that span several config files, checked at start-up.
"""
