"""Custom NLU pipeline components, loaded by Rasa from config.yml."""
