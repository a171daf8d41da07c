"""Fault points: where the fault tests kill a process half-way through its work.

``fault_point("points.ledger.append")`` does nothing unless the process was started with
``HEMEI_FAULT_POINT=points.ledger.append``. Then, at that point (after passing it
``HEMEI_FAULT_SKIP`` times, default 0), it appends the point's name to the file named by
``HEMEI_FAULT_MARKER`` (if set) and, by ``HEMEI_FAULT_ACTION``:

- ``kill`` (the default): the process sends itself SIGKILL, which is ``kill -9`` at that
  exact line: no ``finally``, no rollback, no flush; the database sees a dropped connection;
- ``hang``: the process sleeps until someone else kills it (for a server whose test sends
  the signal itself).

The environment is read once, at import: an unset variable costs one comparison per call.
Tests in ``hemei/tests/test_faults.py`` run the real commands with these variables.
"""

from __future__ import annotations

import os
import signal
import time

_POINT = os.environ.get("HEMEI_FAULT_POINT") or None
_passed = 0


def fault_point(name: str) -> None:
    """Die (or hang) here when the fault tests ask for this point; otherwise nothing."""
    if _POINT is None or name != _POINT:
        return
    _fire(name)


def _fire(name: str) -> None:
    global _passed
    if _passed < int(os.environ.get("HEMEI_FAULT_SKIP") or 0):
        _passed += 1
        return
    marker = os.environ.get("HEMEI_FAULT_MARKER")
    if marker:
        with open(marker, "a", encoding="utf-8") as out:
            out.write(f"{name} {os.getpid()}\n")
            out.flush()
            os.fsync(out.fileno())
    if os.environ.get("HEMEI_FAULT_ACTION", "kill") == "hang":
        while True:
            time.sleep(3600)
    sigkill = getattr(signal, "SIGKILL", None)
    if sigkill is None:  # Windows: no signals; end at once the same way
        os._exit(137)
    os.kill(os.getpid(), sigkill)
    while True:  # the signal is delivered at once; never go on past the point
        time.sleep(1)
