"""What the tests and the benchmarks both need to run the real system: free ports, a real Redis
server, the whole stack on free ports, a fake Rasa server for the agent desk, ticket helpers.

Not part of the product: nothing outside `tests/` and `benchmarks/` imports it.
"""
