"""The website side of the web chat: a demo shop page and the chat widget it embeds.

`python -m web` serves them (the launcher starts it). The widget itself is the static files in
web/static/widget/ (widget.js, the ES modules it imports, widget.css), that a shop owner loads
from this server (or copies to their own) with one script tag; see addons/channels/README.md.
"""
