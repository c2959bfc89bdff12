"""The standard reasons' table takes the review app's name; the admin's permissions on it and its
change history (content type) follow the model."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="common", model="reasontemplate").update(app_label="review")


def move_content_type_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="review", model="reasontemplate").update(app_label="common")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_reasontemplate_from_common"),
        ("common", "0006_reasontemplate_to_review"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="reasontemplate", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
