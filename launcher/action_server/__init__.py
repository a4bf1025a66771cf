"""The action server as the system runs it: rasa_sdk's app for `actions/`, closed to strangers.

`python -m launcher.action_server` replaces `python -m rasa_sdk --actions actions`: rasa_sdk
listens on 0.0.0.0 and runs any action for anyone who can reach it (a forged call cancelled
an order).
This entry point binds to BIND_HOST and answers only calls that carry ACTION_SERVER_TOKEN.
"""
