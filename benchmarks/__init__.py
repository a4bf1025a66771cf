"""Latency, throughput and memory of the assistant, against a stock Rasa bot in the same run.

`python -m benchmarks` (what `make bench` calls) prints the figures and writes them to
var/bench/latest.json; README.md in this folder says what is measured and how to read it.
"""
