"""Background work: notices close when their period ends.

Posting a notice enqueues :func:`end_due_notices_task` to run when it ends (unless the
subject's handlers schedule their own work, as points does); the service closes everything
due, so a late or repeated run is harmless.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def end_due_notices_task() -> int:
    return services.end_due_notices()


def enqueue_sweep() -> None:
    """The worker's scheduler ends whatever is due at each tick too (a notice whose own task
    was never scheduled, or was lost, still ends within one tick of its end)."""
    end_due_notices_task.enqueue()
