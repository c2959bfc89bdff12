"""The registration pages' own rules (registrations.views): what the list says is next for every
status, the way in for someone the rules cannot serve yet, and the actions that are no longer open."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from registrations import services
from registrations.constants import RegistrationStatus
from registrations.models import Registration
from tests.files import upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, make_approved, make_registration

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-05-11 09:00:00+08:00", tick=False):
        yield


def next_step(client, person, registration) -> str:
    client.force_login(person)
    page = client.get(reverse("registrations:list"), **EN).content.decode()
    row = page[page.index(registration.number) :]
    return row[: row.index("</tr>")] if "</tr>" in row else row[:600]


def test_a_draft_counts_the_documents_still_to_upload(client, enrollee):
    draft = make_registration(enrollee)  # a referral: identity and the referral certificate
    assert "Upload 2 documents, then submit" in next_step(client, enrollee, draft)
    services.document_add(actor=enrollee, registration=draft, kind="id_document", uploaded_file=upload())
    assert "Upload 1 document, then submit" in next_step(client, enrollee, draft)
    services.document_add(actor=enrollee, registration=draft, kind="referral_certificate", uploaded_file=upload())
    assert "All documents are there: check and submit" in next_step(client, enrollee, draft)


def test_an_approved_registration_says_from_or_until_when(client, enrollee, window_staff):
    later = make_approved(enrollee, window_staff, start_date=TODAY + datetime.timedelta(days=20))
    assert "In force from 2026-05-31" in next_step(client, enrollee, later)
    services.registration_cancel(actor=enrollee, registration=later)
    now = make_approved(enrollee, window_staff)
    assert "In force until 2027-05-10" in next_step(client, enrollee, now)


def test_an_open_ended_registration_stands_until_changed(client, enrollee, window_staff):
    long_term = make_approved(enrollee, window_staff, fields=LONG_TERM)
    assert long_term.valid_until is None
    assert "In force until you change or cancel it" in next_step(client, enrollee, long_term)


def test_a_rejected_cancelled_expired_or_replaced_registration_says_so(client, enrollee, window_staff):
    rejected = make_registration(enrollee, submit=True)
    services.registration_decide(actor=window_staff, registration=rejected, decision="reject", reasons=["不符合"])
    assert "Rejected: see why" in next_step(client, enrollee, rejected)

    cancelled = make_registration(enrollee, fields=OTHER_TEMPORARY)
    services.registration_cancel(actor=enrollee, registration=cancelled, effective_date=TODAY + datetime.timedelta(2))
    assert "Cancelled from 2026-05-13" in next_step(client, enrollee, cancelled)

    expiring = make_approved(enrollee, window_staff, fields=OTHER_TEMPORARY)
    with time_machine.travel(expiring.valid_until + datetime.timedelta(days=1), tick=False):
        services.registrations_expire()
        client.force_login(enrollee)
        expired = next_step(client, enrollee, expiring)
    assert "Expired: file a new registration if you still need one" in expired


def test_a_replaced_registration_points_to_its_change(client, enrollee, window_staff):
    old = make_approved(enrollee, window_staff)
    successor = services.registration_change(
        actor=enrollee, registration=old, care_city="杭州市", care_province="浙江省"
    )
    for kind in ("id_document", "referral_certificate"):
        services.document_add(actor=enrollee, registration=successor, kind=kind, uploaded_file=upload())
    successor = services.registration_submit(actor=enrollee, registration=successor)
    services.registration_decide(actor=window_staff, registration=successor, decision="approve")
    old.refresh_from_db()
    assert old.status == RegistrationStatus.SUPERSEDED
    assert "Replaced by a change" in next_step(client, enrollee, old)
    client.force_login(enrollee)
    page = client.get(reverse("registrations:detail", args=[old.uuid]), **EN).content.decode()
    assert successor.number in page


# --- The way in --------------------------------------------------------------------------------


def test_someone_without_an_insured_region_is_told_whom_to_ask(client, enrollee):
    enrollee.jurisdiction = None
    enrollee.save(update_fields=["jurisdiction"])
    client.force_login(enrollee)
    page = client.get(reverse("registrations:new"), **EN).content.decode()
    assert "Your account has no insured region" in page
    response = client.get(reverse("registrations:new_details", args=["referral"]))
    assert response.status_code == 302
    assert response.url == reverse("registrations:new")


def test_a_type_that_needs_no_filing_is_explained_not_filed(client, enrollee):
    client.force_login(enrollee)
    response = client.get(reverse("registrations:new_details", args=["emergency"]), **EN)
    assert response.status_code == 200
    assert 'name="start_date"' not in response.content.decode()
    assert not Registration.objects.exists()


def test_a_type_the_rules_do_not_offer_is_a_404(client, enrollee):
    client.force_login(enrollee)
    assert client.get(reverse("registrations:new_details", args=["moon_trip"])).status_code == 404


# --- Actions no longer open --------------------------------------------------------------------


def test_a_submitted_registration_cannot_be_edited_and_says_so(client, enrollee):
    registration = make_registration(enrollee, submit=True)
    client.force_login(enrollee)
    response = client.get(reverse("registrations:edit", args=[registration.uuid]), follow=True, **EN)
    assert "This registration can no longer be edited." in response.content.decode()


def test_only_a_registration_in_force_can_be_changed(client, enrollee):
    draft = make_registration(enrollee)
    client.force_login(enrollee)
    response = client.get(reverse("registrations:change", args=[draft.uuid]), follow=True, **EN)
    assert "Only a registration in force can be changed" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_cancelled_registration_cannot_be_cancelled_again(client, enrollee):
    registration = make_registration(enrollee)
    services.registration_cancel(actor=enrollee, registration=registration)
    client.force_login(enrollee)
    response = client.get(reverse("registrations:cancel", args=[registration.uuid]), follow=True, **EN)
    assert "This registration cannot be cancelled." in response.content.decode()


def test_a_cancellation_in_the_past_is_refused_on_the_form(client, enrollee):
    registration = make_registration(enrollee)
    client.force_login(enrollee)
    response = client.post(
        reverse("registrations:cancel", args=[registration.uuid]), {"effective_date": "2026-05-01"}, **EN
    )
    assert response.status_code == 400
    assert "Choose today or later." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT


def test_a_cancellation_from_a_later_day_keeps_the_registration_until_then(client, enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    client.force_login(enrollee)
    response = client.post(
        reverse("registrations:cancel", args=[registration.uuid]), {"effective_date": "2026-06-01", "reason": "回来了"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.valid_until == datetime.date(2026, 5, 31)
    assert registration.events.last().reason == "回来了"


def test_the_commitment_letter_needs_the_box_ticked(client, enrollee):
    registration = make_registration(enrollee, fields=LONG_TERM)
    client.force_login(enrollee)
    response = client.post(reverse("registrations:commitment", args=[registration.uuid]), {}, **EN)
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.commitment_accepted_at is None
    response = client.post(reverse("registrations:commitment", args=[registration.uuid]), {"accept": "on"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.commitment_accepted_at is not None


def test_a_type_that_takes_no_letter_refuses_it_with_its_status(client, enrollee):
    registration = make_registration(enrollee)  # a referral: no commitment letter
    client.force_login(enrollee)
    response = client.post(reverse("registrations:commitment", args=[registration.uuid]), {"accept": "on"}, **EN)
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.commitment_accepted_at is None


def test_submitting_an_other_temporary_filing_puts_it_in_force_at_once(client, enrollee):
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY)
    services.document_add(
        actor=enrollee, registration=registration, kind="social_security_card", uploaded_file=upload()
    )
    client.force_login(enrollee)
    response = client.post(reverse("registrations:submit", args=[registration.uuid]), follow=True, **EN)
    assert f"Registration {registration.number} is in force from 2026-05-11 until 2027-05-10." in (
        response.content.decode()
    )
