"""Analytics: what the assistant and the agents did, counted in Redis as it happens.

`recorder` writes the counters (action server and desk), `counts` reads a date range,
`figures` turns them into tables, `charts` draws them, `report` prints them (`make report`).
"""
