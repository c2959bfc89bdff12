"""The staff side of the registrations API: the queue, the case, the decision."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from common.models import AccessLog
from registrations import services
from registrations.models import Registration
from registrations.selectors import working_days_between
from tests.conftest import ENROLLEE_ID, make_enrollee
from tests.files import upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, REFERRAL, make_approved, make_registration

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUEUE = "/api/v1/review/registrations/"


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at("2026-05-11"), tick=False)  # a Monday
    return time_machine


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def case_url(registration, action: str = "") -> str:
    return f"{QUEUE}{registration.uuid}/{action + '/' if action else ''}"


def decide(client, registration, **body):
    return client.post(case_url(registration, "decision"), body, format="json")


@pytest.fixture
def sheyang_enrollee(db):
    return make_enrollee("320924197508080037", name="赵六", phone="13800000009", office_code="sheyang")


def sheyang_referral(enrollee):
    fields = {**REFERRAL, "care_province": "江苏省", "care_scope": "in_province", "referral_hospital_level": None}
    registration = make_registration(enrollee, fields=fields)
    for kind in ("id_document", "social_security_card"):
        services.document_add(actor=enrollee, registration=registration, kind=kind, uploaded_file=upload())
    return services.registration_submit(actor=enrollee, registration=registration)


# --- Working days -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-05-11", "2026-05-11", 0),  # same day
        ("2026-05-11", "2026-05-10", 0),  # end before start
        ("2026-05-08", "2026-05-11", 1),  # Friday → Monday: only Monday counts
        ("2026-05-09", "2026-05-10", 0),  # Saturday → Sunday
        ("2026-05-11", "2026-05-15", 4),  # Monday → Friday
        ("2026-05-11", "2026-05-18", 5),  # one whole week
        ("2026-05-15", "2026-06-01", 11),  # Friday → Monday two weeks later
        ("2026-05-11", "2027-05-11", 261),
    ],
)
def test_working_days_between(start, end, expected):
    start_day, end_day = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    assert working_days_between(start_day, end_day) == expected
    brute_force = sum(
        1 for n in range(1, (end_day - start_day).days + 1) if (start_day + datetime.timedelta(days=n)).weekday() < 5
    )
    assert expected == brute_force


# --- Queue ------------------------------------------------------------------------------------


def test_queue_item_shows_the_case_with_its_age_in_working_days(frozen, enrollee, window_staff):
    frozen.move_to(at("2026-05-08"), tick=False)  # Friday
    registration = make_registration(enrollee, submit=True)
    frozen.move_to(at("2026-05-11"), tick=False)  # Monday
    response = client_for(window_staff).get(QUEUE)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    [item] = body["results"]
    assert item == {
        "id": str(registration.uuid),
        "number": registration.number,
        "status": "submitted",
        "registration_type": "referral",
        "category": "temporary",
        "enrollee": {"name": "张三", "national_id": "3206**********123X"},
        "on_behalf": False,
        "office": "nantong-urban",
        "channel": "online",
        "start_date": "2026-05-08",
        "submitted_at": "2026-05-08T09:00:00+08:00",
        "age_working_days": 1,
    }


def test_queue_is_the_staff_members_offices_only(
    frozen, enrollee, other_enrollee, sheyang_enrollee, window_staff, other_office_staff, admin_user
):
    nantong = [make_registration(enrollee, submit=True), make_registration(other_enrollee, submit=True)]
    sheyang = sheyang_referral(sheyang_enrollee)
    make_registration(enrollee, fields=OTHER_TEMPORARY)  # a draft: nobody's queue

    def ids(user, query=""):
        return [item["id"] for item in client_for(user).get(QUEUE + query).json()["results"]]

    assert ids(window_staff) == [str(r.uuid) for r in nantong]
    assert ids(other_office_staff) == [str(sheyang.uuid)]
    assert set(ids(admin_user)) == {str(r.uuid) for r in [*nantong, sheyang]}
    # Naming another office does not widen the scope.
    assert ids(window_staff, "?office=sheyang") == []
    assert ids(admin_user, "?office=sheyang") == [str(sheyang.uuid)]


def test_queue_filters_and_ordering(frozen, enrollee, other_enrollee, window_staff):
    first = make_registration(enrollee, submit=True)
    frozen.shift(datetime.timedelta(hours=1))
    second = make_registration(other_enrollee, submit=True, channel="mail")
    frozen.shift(datetime.timedelta(hours=1))
    approved = make_approved(other_enrollee, window_staff, fields=LONG_TERM)
    staff = client_for(window_staff)

    def ids(query=""):
        response = staff.get(QUEUE + query)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["results"]]

    assert ids() == [str(first.uuid), str(second.uuid)]
    assert ids("?ordering=newest") == [str(second.uuid), str(first.uuid)]
    assert ids("?channel=mail") == [str(second.uuid)]
    assert ids("?status=approved") == [str(approved.uuid)]
    assert ids("?status=approved&type=referral") == []
    assert ids("?type=referral&office=nantong-urban") == [str(first.uuid), str(second.uuid)]
    bad = staff.get(QUEUE + "?status=draft", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert "status" in bad.json()["errors"]


def test_queue_pages_by_cursor_without_gaps_or_repeats(frozen, window_staff, enrollee):
    registrations = submitted_rows(enrollee, 7)
    staff = client_for(window_staff)
    seen, page = [], staff.get(QUEUE + "?page_size=3").json()
    while True:
        seen += [item["id"] for item in page["results"]]
        if not page["next"]:
            break
        assert "cursor=" in page["next"]
        page = staff.get(page["next"]).json()
    assert seen == [str(r.uuid) for r in registrations]
    back = staff.get(page["previous"]).json()
    assert [item["id"] for item in back["results"]] == seen[3:6]


def submitted_rows(enrollee, count: int) -> list[Registration]:
    """`count` cases in the queue, one minute apart.

    Drafts through the service, then marked submitted directly: one person cannot hold 50
    overlapping submitted registrations under the rules, and only the rows matter here.
    """
    rows = [make_registration(enrollee, fields=OTHER_TEMPORARY) for _ in range(count)]
    start = at("2026-05-04")
    for minute, registration in enumerate(rows):
        Registration.objects.filter(pk=registration.pk).update(
            status="submitted", submitted_at=start + datetime.timedelta(minutes=minute)
        )
    return rows


def test_queue_query_count_does_not_grow_with_rows(frozen, enrollee, window_staff, django_assert_max_num_queries):
    staff = client_for(window_staff)
    submitted_rows(enrollee, 5)
    with django_assert_max_num_queries(2):
        assert len(staff.get(QUEUE + "?page_size=100").json()["results"]) == 5
    submitted_rows(enrollee, 45)
    with django_assert_max_num_queries(2):
        assert len(staff.get(QUEUE + "?page_size=100").json()["results"]) == 50


# --- The case ---------------------------------------------------------------------------------


def test_case_reveals_the_full_identity_number_and_logs_it(frozen, enrollee, window_staff, admin_user):
    registration = make_registration(enrollee, submit=True)
    for user in (window_staff, admin_user):
        response = client_for(user).get(case_url(registration))
        assert response.status_code == 200
        assert response.json()["enrollee"] == {
            "name": "张三",
            "national_id": "3206**********123X",
            "national_id_full": ENROLLEE_ID,
        }
    logs = list(AccessLog.objects.order_by("id").values_list("actor", "action", "object_id", "detail"))
    assert logs == [
        (window_staff.pk, "reveal_id", str(enrollee.uuid), registration.number),
        (admin_user.pk, "reveal_id", str(enrollee.uuid), registration.number),
    ]
    # The enrollee's own view never carries the full number.
    own = client_for(enrollee).get(f"/api/v1/registrations/{registration.uuid}/").json()
    assert "national_id_full" not in own["enrollee"]


def test_case_of_another_office_is_404_and_logs_nothing(frozen, enrollee, other_office_staff):
    registration = make_registration(enrollee, submit=True)
    response = client_for(other_office_staff).get(case_url(registration))
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
    assert not AccessLog.objects.exists()


def test_enrollees_cannot_use_the_review_api(frozen, enrollee):
    registration = make_registration(enrollee, submit=True)
    me = client_for(enrollee)
    assert me.get(QUEUE).status_code == 403
    assert me.get(case_url(registration)).status_code == 403
    assert decide(me, registration, decision="approve").status_code == 403
    assert Registration.objects.get().status == "submitted"


# --- Decisions --------------------------------------------------------------------------------


def test_second_decision_is_a_conflict(frozen, enrollee, window_staff, admin_user):
    registration = make_registration(enrollee, submit=True)
    first = decide(client_for(window_staff), registration, decision="approve", note="材料齐全")
    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "approved"
    second = decide(client_for(admin_user), registration, decision="reject", reasons=["重复"])
    assert second.status_code == 409
    assert set(second.json()) == {"detail", "errors"}
    assert Registration.objects.get().status == "approved"
    assert registration.events.filter(action__in=["approved", "rejected"]).count() == 1


def test_reject_and_return_need_reasons(frozen, enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    staff = client_for(window_staff)
    assert decide(staff, registration, decision="reject").status_code == 400
    assert decide(staff, registration, decision="return").status_code == 400
    assert decide(staff, registration, decision="maybe").status_code == 400
    document = registration.documents.first()
    no_reason = decide(
        staff, registration, decision="return", documents=[{"id": str(document.uuid), "accepted": False}]
    )
    assert no_reason.status_code == 400
    assert Registration.objects.get().status == "submitted"

    rejected = decide(staff, registration, decision="reject", reasons=["身份证件与参保人不一致"], note="电话核实")
    assert rejected.status_code == 200, rejected.json()
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["history"][-1]["reason"] == "身份证件与参保人不一致（电话核实）"


def test_documents_of_another_case_cannot_be_reviewed(frozen, enrollee, other_enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    other = make_registration(other_enrollee, submit=True)
    foreign = other.documents.first()
    response = decide(
        client_for(window_staff),
        registration,
        decision="approve",
        documents=[{"id": str(foreign.uuid), "accepted": True}],
    )
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.status == "pending"
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


def test_decision_refuses_unknown_fields(frozen, enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    response = decide(client_for(window_staff), registration, decision="approve", valid_until="2099-12-31")
    assert response.status_code == 400
    assert "valid_until" in response.json()["errors"]
    assert Registration.objects.get().status == "submitted"


def test_decision_on_a_case_of_another_office_is_404(frozen, enrollee, other_office_staff):
    registration = make_registration(enrollee, submit=True)
    assert decide(client_for(other_office_staff), registration, decision="approve").status_code == 404
    assert Registration.objects.get().status == "submitted"
