"""Every change of a registration, its documents, its history or a person on it replaces the
version tokens (common.versions) of what shows it: the case's API answer, the lists of the people
on it and its office's review queue. Signals, not the services, so that the admin's edits count."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from common import versions
from registrations import selectors
from registrations.models import Registration, RegistrationDocument, RegistrationEvent


def _registration_changed(sender, instance, **kwargs):
    versions.bump(*selectors.version_names(instance))


def _part_changed(sender, instance, **kwargs):
    try:
        registration = instance.registration
    except Registration.DoesNotExist:  # deleted with its case: the case's own signal bumps
        return
    versions.bump(*selectors.version_names(registration))


def _person_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {
        "last_login",
        "password",
        "elder_mode",
        "preferred_language",
    }:
        return  # a log-in, a new password or a display choice shows on no case and no queue
    names = []  # accounts.signals bumps the person's own token
    on_cases = Registration.objects.filter(Q(enrollee=instance) | Q(filed_by=instance))
    for registration in on_cases.only("uuid", "enrollee_id", "filed_by_id", "office_id", "supersedes_id"):
        names += selectors.version_names(registration, with_predecessor=False)
    versions.bump(*names)


def connect():
    post_save.connect(_registration_changed, sender=Registration, dispatch_uid="registration-versions-save")
    post_delete.connect(_registration_changed, sender=Registration, dispatch_uid="registration-versions-delete")
    for model in (RegistrationDocument, RegistrationEvent):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"registration-versions-{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"registration-versions-del-{model.__name__}")
    post_save.connect(_person_changed, sender=get_user_model(), dispatch_uid="registration-versions-person")
