"""The gram column of division names (hemei.core.search): a name found among 700,000
divisions by its index instead of reading every row, on PostgreSQL."""

from django.db import migrations

from hemei.core.search import gram_column


class Migration(migrations.Migration):
    dependencies = [("divisions", "0001_initial")]

    operations = [gram_column("divisions_division", ["name"])]
