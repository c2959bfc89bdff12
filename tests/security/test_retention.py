"""Documents of closed cases are removed after the retention period; the history stays."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from claims import services as claims
from claims.models import ClaimDocument
from registrations import services as registrations
from registrations.models import RegistrationDocument
from tests.claims.test_submit import make_claim
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_documents_of_closed_cases_go_after_the_retention_period_and_the_history_stays(
    enrollee, other_enrollee, window_staff, settings
):
    settings.DOCUMENT_RETENTION_DAYS = 30
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        closed = make_registration(enrollee, submit=True)
        closed = registrations.registration_decide(
            actor=window_staff, registration=closed, decision="reject", reasons=["不符合条件"]
        )
        still_open = make_claim(other_enrollee, emergency=True)  # a draft: never purged
        finished_claim = claims.claim_submit(actor=enrollee, claim=make_claim(enrollee, emergency=True))
        finished_claim = claims.claim_decide(
            actor=window_staff, claim=finished_claim, decision="reject", reasons=["重复报销"]
        )
    files = [d.file.path for d in RegistrationDocument.objects.filter(registration=closed)]
    assert files

    with time_machine.travel("2026-06-20 09:00:00+08:00", tick=False):  # within the period: kept
        assert registrations.documents_purge_closed(closed_before=timezone.now() - datetime.timedelta(days=30)) == 0
    with time_machine.travel("2026-07-15 09:00:00+08:00", tick=False):
        cutoff = timezone.now() - datetime.timedelta(days=30)
        assert registrations.documents_purge_closed(closed_before=cutoff) == len(files)
        assert claims.documents_purge_closed(closed_before=cutoff) == 4
    assert not RegistrationDocument.objects.filter(registration=closed).exists()
    assert not ClaimDocument.objects.filter(claim=finished_claim).exists()
    assert ClaimDocument.objects.filter(claim=still_open).exists()
    assert not any(__import__("os").path.exists(path) for path in files)
    assert closed.events.filter(action="documents_purged").exists()
    assert closed.events.filter(action="rejected").exists()  # the trail stays
