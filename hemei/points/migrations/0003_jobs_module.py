"""Background jobs live in ``jobs.py`` (a ``tasks.py`` collided with the tasks app): queued
runs of the points job follow it to its new path, and back on reversal."""

from django.db import migrations

OLD = "hemei.points.tasks.publish_due_entries_task"
NEW = "hemei.points.jobs.publish_due_entries_task"


def forward(apps, schema_editor):
    result = apps.get_model("django_tasks_database", "DBTaskResult")
    result.objects.filter(task_path=OLD).update(task_path=NEW)


def backward(apps, schema_editor):
    result = apps.get_model("django_tasks_database", "DBTaskResult")
    result.objects.filter(task_path=NEW).update(task_path=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0002_redemption_key"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forward, backward)]
