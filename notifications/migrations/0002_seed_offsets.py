"""Default reminder offsets (days before the deadline); admins change them in the admin."""

from django.db import migrations

OFFSETS = {
    "claim_window": (30, 7, 1),
    "claim_window_extended": (30, 7, 1),
    "temporary_expiry": (30, 7),
    "long_term_expiry": (30,),
}


def seed(apps, schema_editor):
    ReminderOffset = apps.get_model("notifications", "ReminderOffset")
    for kind, days in OFFSETS.items():
        for days_before in days:
            ReminderOffset.objects.get_or_create(kind=kind, days_before=days_before)


def unseed(apps, schema_editor):
    apps.get_model("notifications", "ReminderOffset").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
