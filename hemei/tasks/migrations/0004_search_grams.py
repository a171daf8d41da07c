"""The gram column of task titles and descriptions (hemei.core.search): a province-wide
search reads the index, not 200,000 rows, on PostgreSQL."""

from django.db import migrations

from hemei.core.search import gram_column


class Migration(migrations.Migration):
    dependencies = [("tasks", "0003_list_order_index"), ("divisions", "0002_name_grams")]

    operations = [gram_column("tasks_task", ["title", "description"])]
