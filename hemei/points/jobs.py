"""Background work: entries take effect when their public notice ends.

Each approval enqueues :func:`publish_due_entries_task` to run when its notice ends (the
database backend honours ``run_after``); the service publishes everything due, so a late or
repeated run is harmless.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def publish_due_entries_task() -> int:
    return services.publish_due_entries()
