"""Reads of registrations (registrations.selectors), called directly: who sees which case, which
registration blocks another, which was in force on a day, what is on file."""

import datetime

import pytest
import time_machine
from django.http import Http404

from registrations import selectors, services
from registrations.constants import RegistrationStatus
from tests.files import upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, make_approved, make_registration

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-05-11 09:00:00+08:00", tick=False):
        yield


def days(n):
    return datetime.timedelta(days=n)


# --- Who sees what -----------------------------------------------------------------------------


def test_an_enrollee_sees_their_own_and_what_they_filed(enrollee, other_enrollee):
    mine = make_registration(enrollee)
    filed_for_them = make_registration(other_enrollee, actor=enrollee, fields=OTHER_TEMPORARY)
    theirs = make_registration(other_enrollee)
    visible = set(selectors.registrations_visible_to(enrollee))
    assert visible == {mine, filed_for_them}
    assert theirs not in visible


def test_staff_see_their_offices_submitted_cases_and_the_drafts_they_type_in(enrollee, window_staff):
    from tests.conftest import make_enrollee

    haimen = make_enrollee("320602198807070031", name="王五", phone="13800000003", office_code="haimen")
    draft = make_registration(enrollee)
    submitted = make_registration(enrollee, submit=True, fields=OTHER_TEMPORARY)
    walk_in = make_registration(enrollee, actor=window_staff, fields=LONG_TERM)
    elsewhere = make_registration(haimen, submit=True)  # 海门: another office of the same city
    visible = set(selectors.registrations_visible_to(window_staff))
    assert visible == {submitted, walk_in}
    assert draft not in visible
    assert elsewhere not in visible
    assert set(selectors.registrations_visible_to(window_staff, submitted_only=True)) == {submitted}


def test_admins_see_every_case_and_anonymous_visitors_none(enrollee, other_enrollee, admin_user):
    from django.contrib.auth.models import AnonymousUser

    cases = {make_registration(enrollee), make_registration(other_enrollee)}
    assert set(selectors.registrations_visible_to(admin_user)) == cases
    assert list(selectors.registrations_visible_to(AnonymousUser())) == []


@pytest.mark.parametrize("bad", ["not-a-uuid", "", None, "00000000-0000-0000-0000-000000000000"])
def test_a_malformed_or_unknown_id_is_a_404(enrollee, bad):
    with pytest.raises(Http404):
        selectors.registration_get(enrollee, bad)


def test_staff_reading_a_case_are_not_its_party(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    assert selectors.registration_get(window_staff, registration.uuid) == registration
    with pytest.raises(Http404):
        selectors.registration_get_for_party(window_staff, registration.uuid)


def test_a_document_is_found_only_on_its_own_case(enrollee):
    first, second = make_registration(enrollee), make_registration(enrollee, fields=OTHER_TEMPORARY)
    document = services.document_add(actor=enrollee, registration=first, kind="id_document", uploaded_file=upload())
    assert selectors.document_get(enrollee, first.uuid, document.uuid) == document
    with pytest.raises(Http404):
        selectors.document_get(enrollee, second.uuid, document.uuid)


# --- Which blocks another ----------------------------------------------------------------------


def overlapping(enrollee, starts, ends, category="temporary"):
    return list(
        selectors.open_registrations_overlapping(enrollee=enrollee, category=category, starts=starts, ends=ends)
    )


def test_an_approved_registration_blocks_its_own_period_only(enrollee, window_staff):
    approved = make_approved(enrollee, window_staff)  # 2026-05-11 .. 2027-05-10
    assert overlapping(enrollee, TODAY + days(30), TODAY + days(60)) == [approved]
    assert overlapping(enrollee, datetime.date(2027, 5, 10), None) == [approved]  # its last day
    assert overlapping(enrollee, datetime.date(2027, 5, 11), None) == []  # the day after
    assert overlapping(enrollee, TODAY - days(60), TODAY - days(1)) == []  # before it
    assert overlapping(enrollee, TODAY, None, category="long_term") == []  # another category


def test_a_pending_filing_blocks_from_its_start(enrollee):
    pending = make_registration(enrollee, submit=True, start_date=TODAY + days(10))
    assert overlapping(enrollee, TODAY + days(10), TODAY + days(20)) == [pending]
    assert overlapping(enrollee, TODAY, TODAY + days(9)) == []


def test_a_draft_or_rejected_filing_blocks_nothing(enrollee, window_staff):
    make_registration(enrollee)
    rejected = make_registration(enrollee, submit=True)
    services.registration_decide(actor=window_staff, registration=rejected, decision="reject", reasons=["x"])
    assert overlapping(enrollee, TODAY, None) == []


def test_a_cancelled_registration_still_blocks_the_days_it_stood(enrollee, window_staff):
    approved = make_approved(enrollee, window_staff)
    services.registration_cancel(actor=enrollee, registration=approved, effective_date=TODAY + days(30))
    assert overlapping(enrollee, TODAY + days(10), TODAY + days(12)) == [approved]
    assert overlapping(enrollee, TODAY + days(30), TODAY + days(40)) == []


def test_the_registration_being_changed_is_left_out(enrollee, window_staff):
    approved = make_approved(enrollee, window_staff)
    found = selectors.open_registrations_overlapping(
        enrollee=enrollee, category="temporary", starts=TODAY, ends=None, exclude_ids=[approved.pk]
    )
    assert list(found) == []


# --- Which was in force on a day ---------------------------------------------------------------


def test_the_registration_in_force_on_a_day_also_once_expired_or_cancelled(enrollee, window_staff):
    approved = make_approved(enrollee, window_staff)
    assert selectors.registration_in_force_on(enrollee, TODAY) == approved
    assert selectors.registration_in_force_on(enrollee, TODAY - days(1)) is None
    services.registration_cancel(actor=enrollee, registration=approved, effective_date=TODAY + days(5))
    assert selectors.registration_in_force_on(enrollee, TODAY + days(4)) == approved
    assert selectors.registration_in_force_on(enrollee, TODAY + days(5)) is None


def test_a_pending_filing_was_in_force_on_no_day(enrollee):
    make_registration(enrollee, submit=True)
    assert selectors.registration_in_force_on(enrollee, TODAY) is None


def test_another_persons_registration_is_never_theirs(enrollee, other_enrollee, admin_user):
    make_approved(other_enrollee, admin_user)
    assert selectors.registration_in_force_on(enrollee, TODAY) is None


# --- What is on file ---------------------------------------------------------------------------


def test_a_document_to_replace_does_not_count_as_provided(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    documents = {d.kind: str(d.uuid) for d in registration.documents.all()}
    services.registration_decide(
        actor=window_staff,
        registration=registration,
        decision="return",
        document_reviews={documents["referral_certificate"]: (False, "缺章"), documents["id_document"]: (True, "")},
    )
    registration = selectors.registration_get(enrollee, registration.uuid)
    assert selectors.provided_kinds(registration) == {"id_document"}
    assert [group.code for group in selectors.missing(registration)] == ["referral_certificate"]


def test_the_letter_accepted_in_the_portal_counts_as_provided(enrollee):
    registration = make_registration(enrollee, fields=LONG_TERM)
    assert selectors.portal_accepted_kinds(registration) == {"commitment_letter"}
    assert "commitment_letter" not in selectors.provided_kinds(registration)
    services.commitment_accept(actor=enrollee, registration=registration)
    registration.refresh_from_db()
    assert "commitment_letter" in selectors.provided_kinds(registration)


def test_an_agent_adds_the_agents_identity_to_the_checklist(enrollee):
    alone = make_registration(enrollee)
    agent = {"name": "张小三", "national_id": "320602198807070031", "relationship": "儿子"}
    helped = make_registration(enrollee, fields=OTHER_TEMPORARY, agent=agent)
    assert not any(group.when_agent for group in selectors.checklist(alone))
    assert any(group.when_agent for group in selectors.checklist(helped))


def test_the_live_change_is_the_successor(enrollee, window_staff):
    old = make_approved(enrollee, window_staff)
    assert selectors.successor_of(old) is None
    first = services.registration_change(actor=enrollee, registration=old, care_city="杭州市", care_province="浙江省")
    services.registration_cancel(actor=enrollee, registration=first)
    second = services.registration_change(actor=enrollee, registration=old, care_city="宁波市", care_province="浙江省")
    old = selectors.registration_get(enrollee, old.uuid)
    assert selectors.successor_of(old) == second


# --- The public status check -------------------------------------------------------------------


def test_the_status_check_needs_the_number_and_the_last_four_characters(enrollee):
    registration = make_registration(enrollee, submit=True)
    assert selectors.registration_for_status_check(registration.number, "123X") == registration
    assert selectors.registration_for_status_check(registration.number.lower(), " 123x ") == registration
    assert selectors.registration_for_status_check(registration.number, "1230") is None
    assert selectors.registration_for_status_check(registration.number, "23X") is None
    assert selectors.registration_for_status_check("", "123X") is None


def test_a_draft_is_not_found_by_the_status_check(enrollee):
    draft = make_registration(enrollee)
    assert selectors.registration_for_status_check(draft.number, "123X") is None


# --- The system's reads ------------------------------------------------------------------------


def test_registrations_ending_in_a_window_of_days(enrollee, window_staff):
    temporary = make_approved(enrollee, window_staff)  # ends 2027-05-10
    ending = selectors.registrations_ending_between(
        category="temporary", first=datetime.date(2027, 5, 1), last=datetime.date(2027, 5, 10)
    )
    assert list(ending) == [temporary]
    assert not selectors.registrations_ending_between(
        category="temporary", first=datetime.date(2027, 5, 11), last=datetime.date(2027, 6, 1)
    ).exists()
    assert not selectors.registrations_ending_between(
        category="long_term", first=datetime.date(2027, 5, 1), last=datetime.date(2027, 5, 10)
    ).exists()
    assert list(selectors.registrations_ending_of(enrollee)) == [temporary]


def test_the_queue_counts_only_work_in_progress(enrollee, window_staff):
    make_registration(enrollee, submit=True)
    returned = make_registration(enrollee, submit=True, fields=LONG_TERM)
    services.registration_decide(actor=window_staff, registration=returned, decision="return", reasons=["补"])
    assert selectors.queue_counts(window_staff) == {
        RegistrationStatus.SUBMITTED: 1,
        RegistrationStatus.RETURNED: 1,
    }
