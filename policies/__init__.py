"""Custom dialogue policies, loaded by Rasa from config.yml."""
