"""ReasonTemplate moves from common to review, keeping its table and every row.

In this step only Django's picture of the models changes: review takes the model over, still on
the table `common_reasontemplate` (common drops it from its own picture in common 0006). The
table is renamed in 0002, once nobody else claims it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("common", "0005_accesslog_immutable")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReasonTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                        ("text_zh", models.CharField(max_length=200, verbose_name="text (Chinese)")),
                        ("text_en", models.CharField(max_length=200, verbose_name="text (English)")),
                        (
                            "applies_to",
                            models.CharField(
                                choices=[
                                    ("registration", "Registrations"),
                                    ("claim", "Claims"),
                                    ("both", "Registrations and claims"),
                                ],
                                default="both",
                                max_length=16,
                                verbose_name="applies to",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                    ],
                    options={
                        "verbose_name": "standard reason",
                        "verbose_name_plural": "standard reasons",
                        "ordering": ["position", "code"],
                        "db_table": "common_reasontemplate",
                    },
                )
            ],
            database_operations=[],
        )
    ]
