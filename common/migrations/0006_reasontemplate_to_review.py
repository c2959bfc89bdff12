"""ReasonTemplate now belongs to the review app (review 0001): common forgets it, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0005_accesslog_immutable"),
        ("review", "0001_reasontemplate_from_common"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReasonTemplate")],
            database_operations=[],
        )
    ]
