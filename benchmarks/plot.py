"""A PNG of latency and throughput against users for every bot, beside the JSON results."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import BotRun


def save_plot(path: Path, runs: list[BotRun]) -> None:
    """Two panels sharing the x axis (users, log scale): p50 and p90 latency; messages/s."""
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed
    from matplotlib import pyplot

    figure, (latency, throughput) = pyplot.subplots(1, 2, figsize=(11, 4.2))
    for run in runs:
        figures = [level.figures() for level in run.levels]
        users = [f["users"] for f in figures]
        line = latency.plot(users, [f["p50_ms"] for f in figures], marker="o", label=run.name)
        colour = line[0].get_color()
        latency.plot(users, [f["p90_ms"] for f in figures], linestyle=":", color=colour)
        throughput.plot(users, [f["throughput_msg_s"] for f in figures], marker="o", label=run.name)
    latency.set_title("Latency per message (solid p50, dotted p90)")
    latency.set_ylabel("ms")
    throughput.set_title("Throughput")
    throughput.set_ylabel("messages / s")
    for axis in (latency, throughput):
        axis.set_xscale("log", base=2)
        axis.set_xlabel("users typing at once")
        axis.grid(True, alpha=0.3)
        axis.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
