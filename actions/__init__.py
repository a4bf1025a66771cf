"""Custom actions of the customer-service assistant.

rasa_sdk imports every module of this package and registers each Action subclass it finds,
so each skill lives in its own small module.
"""
