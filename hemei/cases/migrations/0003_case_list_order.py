from django.db import migrations, models


class Migration(migrations.Migration):
    """The case list's order as an index: a page is read off it instead of sorting every case."""

    dependencies = [("cases", "0002_notice_state")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-created_at", "-id"], name="case_created"),
        ),
    ]
