"""Starts and stops the whole system: Redis, shop, action server, Rasa server and the web parts.

`python -m launcher run` is what `make run` calls; the end-to-end tests start the same stack
on free ports through `launcher.stack.Stack`.
"""
