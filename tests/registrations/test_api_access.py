"""Who gets what from every registrations endpoint: each operation × each kind of caller.

Another person's case is a 404 everywhere (ids leak nothing); office staff and admins may
read a case of their offices but only its enrollee or filer changes it (403); enrollees
never reach the review API (403); nobody gets anything without logging in (401).
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from registrations import services
from registrations.models import Registration
from tests.files import upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, REFERRAL, make_approved, make_registration

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "enrollee", "other_enrollee", "window_staff", "other_office_staff", "admin_user"]


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-05-11 09:00:00+08:00", tick=False):
        yield


# --- The enrollee's case in each state an endpoint needs -------------------------------------


def submitted(enrollee, staff):
    return make_registration(enrollee, submit=True)


def returned(enrollee, staff, fields=REFERRAL):
    registration = make_registration(enrollee, fields=fields, submit=True)
    return services.registration_decide(
        actor=staff, registration=registration, decision="return", reasons=["请补充医院盖章"]
    )


def returned_long_term(enrollee, staff):
    return returned(enrollee, staff, fields=LONG_TERM)


def approved(enrollee, staff):
    return make_approved(enrollee, staff)


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {id} and {document} are filled in from the case made by `state`
    state: object = None
    body: dict | None = None
    multipart: bool = False
    expected: tuple = ()  # status per role, in the order of ROLES

    def url(self, registration) -> str:
        document = registration.documents.order_by("kind").first() if registration else None
        return self.path.format(
            id=registration.uuid if registration else "", document=document.uuid if document else ""
        )


ENROLLEE_CASE = "/api/v1/registrations/{id}/"
REVIEW_CASE = "/api/v1/review/registrations/{id}/"
NEW_DRAFT = {**OTHER_TEMPORARY, "start_date": "2026-05-11"}

CASES = {
    # anonymous, enrollee, other_enrollee, window_staff, other_office_staff, admin
    "list": Case("get", "/api/v1/registrations/", expected=(401, 200, 200, 200, 200, 200)),
    "create": Case("post", "/api/v1/registrations/", body=NEW_DRAFT, expected=(401, 201, 201, 403, 403, 403)),
    "detail": Case("get", ENROLLEE_CASE, submitted, expected=(401, 200, 404, 200, 404, 200)),
    "patch": Case(
        "patch", ENROLLEE_CASE, returned, body={"care_city": "上海市"}, expected=(401, 200, 404, 403, 404, 403)
    ),
    "upload": Case(
        "post",
        ENROLLEE_CASE + "documents/",
        returned,
        body={"kind": "referral_certificate"},
        multipart=True,
        expected=(401, 201, 404, 403, 404, 403),
    ),
    "download": Case(
        "get", ENROLLEE_CASE + "documents/{document}/", submitted, expected=(401, 200, 404, 200, 404, 200)
    ),
    "remove": Case(
        "delete", ENROLLEE_CASE + "documents/{document}/", returned, expected=(401, 204, 404, 403, 404, 403)
    ),
    "submit": Case("post", ENROLLEE_CASE + "submit/", returned, expected=(401, 200, 404, 403, 404, 403)),
    "cancel": Case("post", ENROLLEE_CASE + "cancel/", submitted, body={}, expected=(401, 200, 404, 403, 404, 403)),
    "change": Case(
        "post",
        ENROLLEE_CASE + "change/",
        approved,
        body={"care_city": "上海市浦东新区"},
        expected=(401, 201, 404, 403, 404, 403),
    ),
    "commitment": Case(
        "post", ENROLLEE_CASE + "commitment/", returned_long_term, expected=(401, 200, 404, 403, 404, 403)
    ),
    "review-list": Case("get", "/api/v1/review/registrations/", expected=(401, 403, 403, 200, 200, 200)),
    "review-detail": Case("get", REVIEW_CASE, submitted, expected=(401, 403, 403, 200, 404, 200)),
    "decision": Case(
        "post",
        REVIEW_CASE + "decision/",
        submitted,
        body={"decision": "approve"},
        expected=(401, 403, 403, 200, 404, 200),
    ),
}
MATRIX = [
    pytest.param(name, role, case.expected[index], id=f"{name}-{role}")
    for name, case in CASES.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "role", "expected"), MATRIX)
def test_access_matrix(request, enrollee, window_staff, name, role, expected):
    case = CASES[name]
    registration = case.state(enrollee, window_staff) if case.state else None
    before = Registration.objects.values("pk", "status", "updated_at").order_by("pk")
    before = list(before)
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(request.getfixturevalue(role))
    body = dict(case.body or {})
    if case.multipart:
        body["file"] = upload()
    send = getattr(client, case.method)
    response = send(case.url(registration), body, format="multipart" if case.multipart else "json")
    assert response.status_code == expected, getattr(response, "data", response)
    if expected >= 400:
        assert set(response.json()) == {"detail", "errors"}
        # A refused call changes nothing.
        assert list(Registration.objects.values("pk", "status", "updated_at").order_by("pk")) == before
        stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
        assert len(stored) == sum(r.documents.count() for r in Registration.objects.all())
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # not close(): see test_api.py


def test_every_endpoint_of_the_api_is_in_the_matrix():
    from registrations.api import urls
    from review.api import urls as review_urls

    covered = {(case.method, case.path.replace("{document}", "{document_id}")) for case in CASES.values()}
    routes = set()
    staff_routes = [p for p in review_urls.urlpatterns if str(p.pattern).startswith("review/registrations/")]
    for pattern in [*urls.urlpatterns, *staff_routes]:
        route = str(pattern.pattern).replace("<str:id>", "{id}").replace("<str:document_id>", "{document_id}")
        route = f"/api/v1/{route}"
        view = pattern.callback.view_class
        for method in ("get", "post", "patch", "put", "delete"):
            if hasattr(view, method):
                routes.add((method, route))
    assert routes == covered


def test_every_view_declares_its_permissions():
    from registrations.api import urls
    from review.api import urls as review_urls

    for pattern in [*urls.urlpatterns, *review_urls.urlpatterns]:
        view = pattern.callback.view_class
        assert "permission_classes" in vars(view), view.__name__


# --- Lists never hold another person's rows -------------------------------------------------


def test_lists_hold_only_the_callers_rows(enrollee, other_enrollee, window_staff, other_office_staff, admin_user):
    mine = make_registration(enrollee, submit=True)
    theirs = make_registration(other_enrollee, fields=OTHER_TEMPORARY)

    def own_ids(user):
        client = APIClient()
        client.force_authenticate(user)
        return {row["id"] for row in client.get("/api/v1/registrations/").json()}

    assert own_ids(enrollee) == {str(mine.uuid)}
    assert own_ids(other_enrollee) == {str(theirs.uuid)}
    # Staff and admins have no filings of their own: the enrollee list is not the queue.
    assert own_ids(window_staff) == own_ids(other_office_staff) == own_ids(admin_user) == set()

    client = APIClient()
    client.force_authenticate(other_office_staff)
    assert client.get("/api/v1/review/registrations/").json()["results"] == []
    client.force_authenticate(window_staff)
    queue = client.get("/api/v1/review/registrations/?status=submitted").json()["results"]
    assert [item["id"] for item in queue] == [str(mine.uuid)]  # the other's draft is theirs alone


def test_staff_cannot_see_an_enrollees_draft(enrollee, window_staff, admin_user):
    draft = make_registration(enrollee)
    client = APIClient()
    client.force_authenticate(window_staff)
    assert client.get(f"/api/v1/registrations/{draft.uuid}/").status_code == 404
    assert client.get(f"/api/v1/review/registrations/{draft.uuid}/").status_code == 404
    client.force_authenticate(admin_user)
    assert client.get(f"/api/v1/review/registrations/{draft.uuid}/").status_code == 200


def test_an_agent_who_filed_may_act_on_the_filing(enrollee, other_enrollee):
    registration = make_registration(
        enrollee, actor=other_enrollee, agent={"name": "李四", "national_id": "320623195803170041"}
    )
    client = APIClient()
    client.force_authenticate(other_enrollee)
    response = client.post(
        f"/api/v1/registrations/{registration.uuid}/documents/",
        {"kind": "agent_id", "file": upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    patched = client.patch(
        f"/api/v1/registrations/{registration.uuid}/", {"contact_phone": "13800000002"}, format="json"
    )
    assert patched.status_code == 200
    assert registration.events.filter(actor=other_enrollee).count() == 3


def test_cancelled_today_by_default(enrollee, window_staff):
    registration = submitted(enrollee, window_staff)
    client = APIClient()
    client.force_authenticate(enrollee)
    body = client.post(f"/api/v1/registrations/{registration.uuid}/cancel/", {}, format="json").json()
    assert body["status"] == "cancelled"
    assert body["cancel_effective_date"] == datetime.date(2026, 5, 11).isoformat()
