"""The staff side of registrations: the review queue and a case under review.

Assertions on the pages' own sentences ask for English (the zh-Hans catalogue comes
later); data from the database (names, numbers, identity numbers) is the same in both.
"""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import national_id
from accounts.constants import Role
from accounts.models import User
from accounts.services import user_create
from common.models import AccessLog
from policy.constants import Channel
from registrations import selectors, services
from registrations.constants import DocumentStatus, RegistrationStatus
from registrations.models import RegistrationEvent
from review.models import ReasonTemplate
from review.views import registrations as staff_views
from tests.conftest import PASSWORD, make_enrollee
from tests.files import png_bytes, upload

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUEUE = reverse("review:queue")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def file_case(enrollee, *, actor=None, registration_type="referral", channel=Channel.ONLINE, submit=True, **extra):
    """A registration filed through the services: created, documents added, submitted."""
    actor = actor or enrollee
    details = {
        "care_scope": "in_province",
        "care_province": "江苏省",
        "care_city": "南京市",
        "start_date": timezone.localdate(),
    }
    if registration_type == "referral":
        details |= {"referral_hospital": "南通大学附属医院", "referral_hospital_level": 3}
    details |= extra
    registration = services.registration_create(
        actor=actor, enrollee=enrollee, registration_type=registration_type, channel=channel, **details
    )
    # An identity card, else the first alternative of each checklist item; the referral as a photo.
    for group in selectors.checklist(registration):
        option = next((o for o in group.options if "id_document" in {d.code for d in o.documents}), group.options[0])
        for kind in option.documents:
            file = upload(f"{kind.code}.png", png_bytes(), "image/png") if kind.code == "referral_certificate" else None
            file = file or upload(f"{kind.code}.pdf")
            services.document_add(actor=actor, registration=registration, kind=kind.code, uploaded_file=file)
    if submit:
        registration = services.registration_submit(actor=actor, registration=registration)
    return registration


def numbered_id(n: int) -> str:
    first17 = f"320602{1970 + n % 40}0315{n:03d}"
    return first17 + national_id.check_character(first17)


def many_enrollees(count: int, start: int = 1):
    return [make_enrollee(numbered_id(n), name=f"参保人{n}", phone=f"139{n:08d}") for n in range(start, start + count)]


def numbers_in(html: str) -> list[str]:
    return re.findall(r"BA\d{14}", html)


@pytest.fixture
def sheyang_enrollee(db):
    return make_enrollee("320924198502020011", name="王五", phone="13800000003", office_code="sheyang")


@pytest.fixture
def sheyang_case(sheyang_enrollee):
    """A case of 射阳县's office, which window_staff (南通 市区) must never see."""
    return file_case(
        sheyang_enrollee, registration_type="long_term_resident", care_province="上海市", care_scope="cross_province"
    )


@pytest.fixture
def case(enrollee):
    return file_case(enrollee)


@pytest.fixture
def staff_client(client, window_staff):
    client.force_login(window_staff)
    return client


# --- Working-day ageing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (datetime.date(2026, 5, 8), datetime.date(2026, 5, 8), 0),  # same day
        (datetime.date(2026, 5, 8), datetime.date(2026, 5, 9), 0),  # Fri → Sat
        (datetime.date(2026, 5, 8), datetime.date(2026, 5, 11), 1),  # Fri → Mon
        (datetime.date(2026, 5, 8), datetime.date(2026, 5, 12), 2),  # Fri → Tue
        (datetime.date(2026, 5, 9), datetime.date(2026, 5, 11), 1),  # Sat → Mon
        (datetime.date(2026, 5, 4), datetime.date(2026, 5, 18), 10),  # two whole weeks
        (datetime.date(2026, 5, 12), datetime.date(2026, 5, 8), 0),  # end before start
    ],
)
def test_working_days_between_counts_monday_to_friday(start, end, days):
    assert selectors.working_days_between(start, end) == days


def test_working_days_between_matches_counting_day_by_day():
    start = datetime.date(2026, 1, 1)
    for length in range(0, 40):
        end = start + datetime.timedelta(days=length)
        expected = sum(1 for i in range(1, length + 1) if (start + datetime.timedelta(days=i)).weekday() < 5)
        assert selectors.working_days_between(start, end) == expected


@pytest.mark.parametrize("today", [datetime.date(2026, 5, d) for d in range(4, 11)])
@pytest.mark.parametrize("wanted", [0, 1, 2, 5, 7])
def test_waiting_since_cutoff_is_the_latest_day_old_enough(today, wanted):
    cutoff = staff_views.waiting_since_cutoff(today, wanted)
    assert selectors.working_days_between(cutoff, today) >= wanted
    assert selectors.working_days_between(cutoff + datetime.timedelta(days=1), today) < wanted or cutoff == today


# --- Who may come in ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    for url in (QUEUE, reverse("review:detail", args=[case.uuid]), reverse("review:file")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_enrollees_get_404_on_every_review_page(client, enrollee, case):
    client.force_login(enrollee)
    document = case.documents.first()
    for url in (
        QUEUE,
        reverse("review:detail", args=[case.uuid]),
        reverse("review:document", args=[case.uuid, document.uuid]),
        reverse("review:file"),
        reverse("review:upload", args=[case.uuid]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("review:decide", args=[case.uuid]), {"decision": "approve"}).status_code == 404
    case.refresh_from_db()
    assert case.status == RegistrationStatus.SUBMITTED


def test_staff_without_an_office_get_404(client, db):
    loose = user_create(username="no-office", password=PASSWORD, role=Role.STAFF)
    client.force_login(loose)
    assert client.get(QUEUE).status_code == 404


def test_admins_see_every_office(client, admin_user, case, sheyang_case):
    other = sheyang_case
    client.force_login(admin_user)
    html = client.get(QUEUE, **EN).content.decode()
    assert case.number in html
    assert other.number in html


def test_nav_shows_the_queue_link_to_staff_only(client, enrollee, window_staff):
    client.force_login(enrollee)
    assert QUEUE not in client.get(reverse("home")).content.decode()
    client.force_login(window_staff)
    assert f'href="{QUEUE}"' in client.get(reverse("home")).content.decode()


# --- The queue -----------------------------------------------------------------------------


def test_queue_shows_only_the_staff_members_offices(client, window_staff, other_office_staff, case, sheyang_case):
    client.force_login(window_staff)
    html = client.get(QUEUE, **EN).content.decode()
    assert numbers_in(html) == [case.number]
    assert "3206**********123X" in html  # masked, never the full number in the list
    assert "32060219900101123X" not in html
    assert "张三" in html

    client.force_login(other_office_staff)
    html = client.get(QUEUE, **EN).content.decode()
    assert numbers_in(html) == [sheyang_case.number]
    assert client.get(reverse("review:detail", args=[case.uuid])).status_code == 404
    document = case.documents.first()
    assert client.get(reverse("review:document", args=[case.uuid, document.uuid])).status_code == 404
    assert not AccessLog.objects.exists()


def test_queue_is_oldest_first_with_ageing_in_working_days(client, window_staff, time_machine):
    first, second, third = many_enrollees(3)
    time_machine.move_to(at(2026, 5, 8, 16, 0), tick=False)  # Friday
    old = file_case(second)
    time_machine.move_to(at(2026, 5, 11, 9, 0), tick=False)  # Monday
    middle = file_case(first)
    time_machine.move_to(at(2026, 5, 12, 9, 0), tick=False)  # Tuesday
    new = file_case(third)
    time_machine.move_to(at(2026, 5, 12, 15, 0), tick=False)

    client.force_login(window_staff)
    response = client.get(QUEUE, **EN)
    html = response.content.decode()
    assert numbers_in(html) == [old.number, middle.number, new.number]
    assert [row["age"] for row in response.context["rows"]] == [2, 1, 0]
    assert "2 working days" in html
    assert "1 working day<" in html

    # “Waiting at least 1 working day” leaves today's out; 2 keeps only Friday's.
    assert numbers_in(client.get(QUEUE, {"age": 1}).content.decode()) == [old.number, middle.number]
    assert numbers_in(client.get(QUEUE, {"age": 2}).content.decode()) == [old.number]


def test_queue_filters_by_status_type_channel_and_office(client, window_staff, enrollee, other_enrollee, office):
    referral = file_case(enrollee)
    long_term = file_case(
        enrollee, registration_type="long_term_resident", care_province="上海市", care_scope="cross_province"
    )
    walk_in = file_case(other_enrollee, actor=window_staff, channel=Channel.WINDOW)
    returned = file_case(many_enrollees(1)[0])
    services.registration_decide(actor=window_staff, registration=returned, decision="return", reasons=["请补充材料"])

    client.force_login(window_staff)

    def shown(**query):
        return set(numbers_in(client.get(QUEUE, query).content.decode()))

    assert shown() == {referral.number, long_term.number, walk_in.number}
    assert shown(type="long_term_resident") == {long_term.number}
    assert shown(type="referral") == {referral.number, walk_in.number}
    assert shown(channel="window") == {walk_in.number}
    assert shown(status="returned") == {returned.number}
    assert shown(office=office.code) == {referral.number, long_term.number, walk_in.number}
    # An office that is not the staff member's is not a choice: the filter is refused, not applied.
    response = client.get(QUEUE, {"office": "sheyang"}, **EN)
    assert "error-summary" in response.content.decode()
    assert set(numbers_in(response.content.decode())) == {referral.number, long_term.number, walk_in.number}


def test_queue_counts_each_status(client, window_staff, enrollee, other_enrollee):
    file_case(enrollee)
    returned = file_case(other_enrollee)
    services.registration_decide(actor=window_staff, registration=returned, decision="return", reasons=["x"])
    client.force_login(window_staff)
    tabs = {tab["status"]: tab["count"] for tab in client.get(QUEUE).context["tabs"]}
    assert tabs["submitted"] == 1
    assert tabs["returned"] == 1
    assert tabs["approved"] is None  # decided cases are not counted: their number only grows
    assert "draft" not in tabs


def test_queue_pages_by_keyset_in_submission_order(client, window_staff, monkeypatch, time_machine):
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    time_machine.move_to(at(2026, 5, 11, 9, 0), tick=False)
    people = many_enrollees(5)
    # Three submitted in the same instant: the id breaks the tie, and none is lost or repeated.
    cases = [file_case(person) for person in people[:3]]
    time_machine.move_to(at(2026, 5, 11, 10, 0), tick=False)
    cases += [file_case(person) for person in people[3:]]

    client.force_login(window_staff)
    seen, url, pages = [], QUEUE, 0
    while url:
        response = client.get(url)
        html = response.content.decode()
        seen += numbers_in(html)
        pages += 1
        match = re.search(r'href="\?([^"]*after=[^"]*)" rel="next"', html)
        url = f"{QUEUE}?{match.group(1).replace('&amp;', '&')}" if match else None
    assert pages == 3
    assert seen == [c.number for c in sorted(cases, key=lambda c: (c.submitted_at, c.pk))]


def test_queue_ignores_a_broken_page_link(staff_client, case):
    response = staff_client.get(QUEUE, {"after": "yesterday,abc"}, **EN)
    assert response.status_code == 200
    assert numbers_in(response.content.decode()) == [case.number]


def _queue_queries(client) -> list[str]:
    client.get(QUEUE)  # warm the rule-set cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_queue_query_count_does_not_grow_with_rows(client, window_staff, django_assert_max_num_queries):
    people = many_enrollees(50)
    for person in people[:5]:
        file_case(person)
    client.force_login(window_staff)
    with_five = _queue_queries(client)
    for person in people[5:]:
        file_case(person)
    with_fifty = _queue_queries(client)

    assert len(numbers_in(client.get(QUEUE).content.decode())) == 50
    assert len(with_fifty) == len(with_five)
    assert not any(" OFFSET " in sql.upper() for sql in with_fifty)
    with django_assert_max_num_queries(8):
        client.get(QUEUE)


# --- A case --------------------------------------------------------------------------------


def test_detail_shows_the_case_the_full_id_and_each_document_inline(staff_client, case):
    response = staff_client.get(reverse("review:detail", args=[case.uuid]), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "32060219900101123X" in html
    assert "张三" in html
    assert "南通大学附属医院" in html
    assert "Referral certificate" in html
    pdf, png = (
        case.documents.get(kind="id_document"),
        case.documents.get(kind="referral_certificate"),
    )
    assert f'<iframe class="doc-view" src="{reverse("review:document", args=[case.uuid, pdf.uuid])}"' in html
    assert f'<img class="doc-view" src="{reverse("review:document", args=[case.uuid, png.uuid])}"' in html
    assert "Submitted" in html  # the history timeline
    assert 'name="decision"' in html
    assert 'value="document_unreadable"' in html  # the seeded standard reasons


def test_detail_records_each_reveal_of_the_identity_number(staff_client, window_staff, case):
    url = reverse("review:detail", args=[case.uuid])
    staff_client.get(url)
    staff_client.get(url)
    logs = AccessLog.objects.filter(action="reveal_id")
    assert logs.count() == 2
    log = logs.first()
    assert (log.actor, log.object_type, log.object_id) == (window_staff, "registrations.registration", str(case.uuid))


def test_document_is_served_inline_and_each_view_is_recorded(staff_client, window_staff, case):
    for document in case.documents.all():
        response = staff_client.get(reverse("review:document", args=[case.uuid, document.uuid]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("inline;")
        assert response["Content-Type"] == document.content_type
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        b"".join(response.streaming_content)
    logs = AccessLog.objects.filter(action="view_document", actor=window_staff)
    assert sorted(logs.values_list("object_id", flat=True)) == sorted(str(d.uuid) for d in case.documents.all())


def test_unknown_case_or_document_is_404(staff_client, case, sheyang_case):
    assert staff_client.get(reverse("review:detail", args=[uuid.uuid4()])).status_code == 404
    other = sheyang_case
    other_document = other.documents.first()
    assert staff_client.get(reverse("review:document", args=[case.uuid, other_document.uuid])).status_code == 404


def _decide(client, registration, **data):
    return client.post(reverse("review:decide", args=[registration.uuid]), data, **EN)


def test_approve_through_the_form(staff_client, window_staff, case):
    response = _decide(staff_client, case, decision="approve", note="原件已核对")
    assert response.status_code == 302
    assert response["Location"] == reverse("review:detail", args=[case.uuid])
    case.refresh_from_db()
    assert case.status == RegistrationStatus.APPROVED
    assert case.decided_by == window_staff
    assert case.valid_until is not None
    assert set(case.documents.values_list("status", flat=True)) == {DocumentStatus.ACCEPTED}
    page = staff_client.get(response["Location"], **EN).content.decode()
    assert "Approved" in page
    assert 'name="decision"' not in page


def test_return_marks_a_document_for_replacing_and_lists_it_for_the_enrollee(staff_client, case):
    referral = case.documents.get(kind="referral_certificate")
    identity = case.documents.get(kind="id_document")
    response = _decide(
        staff_client,
        case,
        decision="return",
        **{
            f"doc-{referral.uuid}-verdict": "replace",
            f"doc-{referral.uuid}-reason": "referral_unsealed",
            f"doc-{identity.uuid}-verdict": "accept",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    referral.refresh_from_db()
    identity.refresh_from_db()
    assert case.status == RegistrationStatus.RETURNED
    assert referral.status == DocumentStatus.REJECTED
    assert referral.review_reason == "转诊转院证明缺少医院盖章"  # the enrollee reads Chinese
    assert identity.status == DocumentStatus.ACCEPTED
    assert case.return_reasons == ["转诊转院证明：转诊转院证明缺少医院盖章"]
    assert case.events.last().details["fixes"] == case.return_reasons


def test_return_uses_the_enrollees_language_and_free_text(client, window_staff, enrollee, case):
    User.objects.filter(pk=enrollee.pk).update(preferred_language="en")
    client.force_login(window_staff)
    referral = case.documents.get(kind="referral_certificate")
    _decide(
        client,
        case,
        decision="return",
        reasons=["document_unreadable"],
        other_reasons="Bring the original to the window\n\n",
        **{f"doc-{referral.uuid}-verdict": "replace", f"doc-{referral.uuid}-reason_text": "照片被裁切"},
    )
    case.refresh_from_db()
    assert case.return_reasons == [
        "The document is unreadable: upload a clear, complete photo or scan.",
        "Bring the original to the window",
        "转诊转院证明：照片被裁切",
    ]


def test_return_needs_a_reason_for_a_document_to_replace(staff_client, case):
    referral = case.documents.get(kind="referral_certificate")
    response = _decide(staff_client, case, decision="return", **{f"doc-{referral.uuid}-verdict": "replace"})
    assert response.status_code == 400
    assert "Say why this document needs replacing." in response.content.decode()
    case.refresh_from_db()
    assert case.status == RegistrationStatus.SUBMITTED


def test_reject_with_standard_and_own_reasons(staff_client, case):
    response = _decide(
        staff_client, case, decision="reject", reasons=["region_mismatch"], other_reasons="备案地区为上海，证明为南京"
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RegistrationStatus.REJECTED
    event = case.events.last()
    assert event.details["reasons"] == ["备案地区与证明材料不符", "备案地区为上海，证明为南京"]


def test_service_refusals_are_shown_on_the_form(staff_client, case):
    response = _decide(staff_client, case, decision="reject")
    assert response.status_code == 400
    assert "Give the reasons for rejecting." in response.content.decode()
    referral = case.documents.get(kind="referral_certificate")
    response = _decide(
        staff_client,
        case,
        decision="approve",
        **{f"doc-{referral.uuid}-verdict": "replace", f"doc-{referral.uuid}-reason": "referral_unsealed"},
    )
    assert response.status_code == 400
    assert "cannot be approved" in response.content.decode()
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == RegistrationStatus.SUBMITTED
    assert referral.status == DocumentStatus.PENDING  # the refused decision wrote nothing


def test_a_second_decision_shows_the_conflict_and_changes_nothing(client, window_staff, office, case):
    colleague = user_create(username="colleague", password=PASSWORD, role=Role.STAFF, offices=[office], name="赵六")
    client.force_login(colleague)
    assert _decide(client, case, decision="approve").status_code == 302
    events_before = RegistrationEvent.objects.filter(registration=case).count()

    client.force_login(window_staff)
    referral = case.documents.get(kind="referral_certificate")
    response = _decide(
        client,
        case,
        decision="return",
        reasons=["document_unreadable"],
        **{f"doc-{referral.uuid}-verdict": "replace", f"doc-{referral.uuid}-reason": "referral_unsealed"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else decided first" in html
    assert "already decided" in html
    assert "赵六" in html
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == RegistrationStatus.APPROVED
    assert case.decided_by == colleague
    assert referral.status == DocumentStatus.ACCEPTED
    assert RegistrationEvent.objects.filter(registration=case).count() == events_before


def test_inactive_reasons_are_not_offered(staff_client, case):
    ReasonTemplate.objects.filter(code="identity_mismatch").update(active=False)
    ReasonTemplate.objects.create(code="claims-only", text_zh="发票缺少收费章", text_en="x", applies_to="claim")
    html = staff_client.get(reverse("review:detail", args=[case.uuid])).content.decode()
    assert 'value="identity_mismatch"' not in html
    assert 'value="claims-only"' not in html
    assert 'value="region_mismatch"' in html
