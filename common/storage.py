"""Private file storage for document uploads: no public URL, generated names, tight modes.

Files live under MEDIA_ROOT/private and are read only by permission-checked views through
common.downloads.private_file_response. A model field uses it as

    file = models.FileField(storage=get_private_storage, upload_to=PrivateUploadTo("claims"))

and a service stores a validated upload with
`document.file.save("x" + clean.extension, clean.as_content_file())` (upload_to generates the
real name), or without a model with `save_private_upload(clean, prefix="claims")`.
"""

import functools
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from common.uploads import ACCEPTED_TYPES, CleanUpload

_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")
_EXTENSIONS = frozenset(ACCEPTED_TYPES.values())


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at MEDIA_ROOT/private whose files have no URL.

    The root follows MEDIA_ROOT when it changes (tests point it at a temporary folder).
    Files are 0640 and folders 0750, so only the portal's user and group can read them.
    """

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @cached_property
    def base_location(self):
        return Path(settings.MEDIA_ROOT) / "private"

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise NotImplementedError(
            "Private files have no URL: serve them from a permission-checked view with "
            "common.downloads.private_file_response."
        )


private_storage = PrivateStorage()


def get_private_storage():
    """For FileField(storage=...): migrations then name this function, not a storage instance.

    With UPLOADS_BUCKET set, an S3-compatible bucket (private ACL, no public URL is ever handed
    out: the views stream the file); otherwise the folder above.
    """
    if settings.UPLOADS_BUCKET:
        return _bucket_storage()
    return private_storage


@functools.cache
def _bucket_storage():
    try:
        from storages.backends.s3 import S3Storage
    except ImportError as error:  # the bucket was asked for, the library is not installed
        raise ImproperlyConfigured(
            "UPLOADS_BUCKET needs django-storages[s3]: pip install -r requirements-s3.txt"
        ) from error
    return S3Storage(**settings.UPLOADS_S3_OPTIONS)


def private_upload_path(prefix: str, extension: str) -> str:
    """`<prefix>/<yyyy>/<mm>/<uuid4 hex><ext>`, the month in local time (Asia/Shanghai)."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"Invalid upload prefix {prefix!r}: lowercase words separated by '/'.")
    if extension not in _EXTENSIONS:
        raise ValueError(f"Invalid upload extension {extension!r}: one of {sorted(_EXTENSIONS)}.")
    today = timezone.localdate()
    return f"{prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{extension}"


@deconstructible
class PrivateUploadTo:
    """FileField upload_to: keeps only the extension of the name it is given."""

    def __init__(self, prefix: str):
        private_upload_path(prefix, ".pdf")  # fail at import time on a bad prefix
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        return private_upload_path(self.prefix, os.path.splitext(filename)[1].lower())

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


def save_private_upload(clean: CleanUpload, *, prefix: str) -> str:
    """Write a validated upload under a generated name; returns the storage name."""
    return get_private_storage().save(private_upload_path(prefix, clean.extension), clean.as_content_file())


def delete_after_commit(field_files) -> None:
    """Remove stored files once the rows that pointed at them are gone for good (a rollback keeps both)."""
    from django.db import transaction

    targets = [(f.storage, f.name) for f in field_files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in targets])


def retention_cutoff():
    """Cases closed before this moment have their documents removed (settings.DOCUMENT_RETENTION_DAYS)."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=settings.DOCUMENT_RETENTION_DAYS)


def purge_closed_documents(model, *, closed_statuses, closed_before, record) -> int:
    """Remove the documents of `model` cases (registrations, claims) closed before `closed_before`.

    Each case is locked and checked again (it may have moved on since it was listed); its
    document rows go, their files after commit, and `record(case, count)` writes its history.
    """
    from django.db import transaction

    listed = (
        model.objects.filter(status__in=closed_statuses, updated_at__lt=closed_before, documents__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    removed = 0
    for pk in list(listed):
        with transaction.atomic():
            case = model.objects.select_for_update().get(pk=pk)
            if case.status not in closed_statuses:
                continue
            documents = list(case.documents.all())
            case.documents.filter(pk__in=[d.pk for d in documents]).delete()
            delete_after_commit([d.file for d in documents])
            record(case, len(documents))
            removed += len(documents)
    return removed
