"""Personal data kept no longer than needed: the retention purge and "forget this customer".

`python -m personal_data purge` deletes every conversation whose last event is older than
RETENTION_DAYS (default 90), with its turn series, analytics link, tickets and their history
and notes; the agent desk runs the same purge once a day. `python -m personal_data forget
<email or conversation id>` deletes every conversation that mentions the email (or has that
id) and the contact history filed under it, at once. Both work on Redis directly, through the
one key catalogue (contract/keys.py), and open sealed events with DATA_AT_REST_KEY
(contract/at_rest.py).
"""
