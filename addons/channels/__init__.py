"""Customer channels beyond REST: the website widget (socket.io), Slack and Telegram.

Each module subclasses Rasa 3.6's own connector and changes only what a customer-service
assistant needs: agent replies sent later through Rasa's HTTP API reach the customer's chat,
API base URLs can point at local stand-ins, and inbound requests are authenticated and
de-duplicated. credentials.yml names these classes; see addons/channels/README.md.
"""
