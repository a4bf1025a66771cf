"""Child processes that end when the process that started them dies, however it dies.

A launcher or a pytest run stops its parts in `Stack.stop`, but a SIGKILL (a CI time limit, the
OOM killer, a helper ending a stuck run) skips every `finally`, and its parts used to keep
running, reparented to init: ports and memory held for good. Linux's PR_SET_PDEATHSIG asks the
kernel to send a child SIGTERM when its parent goes, so the part shuts down as if stopped.

The kernel ties this to the parent *thread* that forked the child, not the process: a part
started from a thread that later exits would be stopped with it. The launcher and the test
harness start parts from their main thread.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

# <linux/prctl.h>
PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent: the forked child only calls it, because
    between fork and exec a child may not take locks another thread of the parent held."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(None, use_errno=True).prctl


_PRCTL = _prctl()


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen that makes the child receive SIGTERM when this
    process dies (None off Linux, where Popen then runs the child as before)."""
    if _PRCTL is None:
        return None
    prctl = _PRCTL
    parent = os.getpid()

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        # The parent may have died between fork and prctl: then no signal will ever come.
        if os.getppid() != parent:
            os._exit(1)

    return arm


__all__ = ["die_with_parent"]
