"""The staff dashboard and the exports: figures of one's own offices only, charts with their
numbers beside them, CSV and Excel with identity numbers masked unless an admin asks (logged)."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from claims import services as claim_services
from common.models import AccessLog
from registrations import services
from tests.review.views.test_registrations import (  # noqa: F401 - fixtures
    case,
    file_case,
    many_enrollees,
    sheyang_case,
    sheyang_enrollee,
    staff_client,
)

pytestmark = pytest.mark.django_db


def test_enrollees_get_404_on_the_dashboard_and_exports(client, enrollee):
    client.force_login(enrollee)
    for name in ("review:dashboard", "review:dashboard_export", "review:queue_export", "review:claims_export"):
        assert client.get(reverse(name)).status_code == 404


def test_dashboard_counts_only_the_staff_members_offices(staff_client, case, sheyang_case):
    page = staff_client.get(reverse("review:dashboard")).content.decode()
    assert page.count('role="img"') == 5  # five charts, each an image with a title
    assert '<table class="figures">' in page
    assert case.number in page  # waiting longest
    assert sheyang_case.number not in page
    # another office named in the address changes nothing: the staff member's own offices stay
    other = staff_client.get(reverse("review:dashboard") + "?office=sheyang").content.decode()
    assert sheyang_case.number not in other


def decision_figures(client, staff) -> str:
    """The dashboard's time-to-decision list as the staff member sees it on 2026-11-20, in English."""
    client.force_login(staff)
    with time_machine.travel("2026-11-20 10:00:00+08:00", tick=False):
        page = client.get(reverse("review:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return " ".join(page[page.index('class="facts decision-days"') :].split("</dl>")[0].split())


def test_time_to_decision_is_the_median_and_90th_percentile_in_working_days(client, window_staff):
    with time_machine.travel("2026-11-02 09:00:00+08:00", tick=False):  # a Monday
        cases = [file_case(person) for person in many_enrollees(10)]
    # Decided after 1, 1, 2, 2, 3, 3, 4, 5, 8 and 10 working days (weekends not counted).
    for registration, day in zip(cases, ["03", "03", "04", "04", "05", "05", "06", "09", "12", "16"], strict=True):
        with time_machine.travel(f"2026-11-{day} 10:00:00+08:00", tick=False):
            services.registration_decide(actor=window_staff, registration=registration, decision="approve")
    figures = decision_figures(client, window_staff)
    assert "<dt>Cases decided</dt><dd>10</dd>" in figures
    assert "<dt>Median</dt><dd>3 working days</dd>" in figures
    assert "<dt>90th percentile</dt><dd>8 working days</dd>" in figures


def test_queue_export_masks_identity_numbers_and_keeps_to_the_office(
    staff_client,
    case,
    sheyang_case,
):
    response = staff_client.get(reverse("review:queue_export") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on Windows reads the Chinese
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert rows[1][0] == case.number
    assert rows[1][2] == case.enrollee.national_id_masked
    assert "*" in rows[1][2]
    assert sheyang_case.number not in text


def test_queue_export_as_excel(staff_client, case):
    response = staff_client.get(reverse("review:queue_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][0] == case.number
    assert len(values) == 2


def test_staff_cannot_export_full_identity_numbers(staff_client, case):
    assert staff_client.get(reverse("review:queue_export") + "?full=1").status_code == 403
    assert not AccessLog.objects.filter(action="export_full_ids").exists()


def test_admins_export_full_identity_numbers_and_it_is_logged(admin_client, admin_user, case):
    response = admin_client.get(reverse("review:queue_export") + "?format=csv&full=1&status=submitted")
    text = response.content.decode("utf-8")
    assert case.enrollee.reveal_national_id() in text
    entry = AccessLog.objects.get(action="export_full_ids")
    assert entry.actor == admin_user
    assert entry.object_id == str(case.uuid)
    assert entry.detail == "registration queue export of 1 rows; status=submitted"


def test_text_a_spreadsheet_would_run_is_kept_as_text(staff_client, window_staff, enrollee):
    enrollee.name = '=HYPERLINK("http://evil")'
    enrollee.save()
    file_case(enrollee)
    text = staff_client.get(reverse("review:queue_export") + "?format=csv").content.decode()
    assert "'=HYPERLINK" in text
    book = staff_client.get(reverse("review:queue_export") + "?format=xlsx").content
    name = load_workbook(io.BytesIO(book)).active["B2"]
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil")', "s")  # text, shown as typed


def test_dashboard_export_has_a_sheet_per_table(staff_client, case):
    response = staff_client.get(reverse("review:dashboard_export") + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6


def test_dashboard_query_count_does_not_grow_with_cases(staff_client, enrollee, django_assert_max_num_queries):
    from django.core.cache import cache

    file_case(enrollee)
    cache.clear()
    with django_assert_max_num_queries(16):
        assert staff_client.get(reverse("review:dashboard")).status_code == 200


def test_time_to_decision_leaves_out_types_approved_at_once_under_the_rules(client, window_staff):
    with time_machine.travel("2026-11-02 09:00:00+08:00", tick=False):  # a Monday
        reviewed, *at_once = many_enrollees(4)
        waited = file_case(reviewed)
        for person in at_once:
            assert file_case(person, registration_type="other_temporary").status == "approved"
    with time_machine.travel("2026-11-06 10:00:00+08:00", tick=False):
        services.registration_decide(actor=window_staff, registration=waited, decision="approve")
    figures = decision_figures(client, window_staff)
    assert "<dt>Cases decided</dt><dd>1</dd>" in figures
    assert "<dt>Median</dt><dd>4 working days</dd>" in figures


def test_a_full_export_logs_each_case_it_carried_once_the_file_is_made(admin_client, admin_user, case, sheyang_case):
    response = admin_client.get(reverse("review:queue_export") + "?format=xlsx&full=1")
    assert response.status_code == 200
    entries = AccessLog.objects.filter(action="export_full_ids")
    assert {(e.object_type, e.object_id) for e in entries} == {
        ("registrations.registration", str(case.uuid)),
        ("registrations.registration", str(sheyang_case.uuid)),
    }
    assert all(e.actor == admin_user and e.detail.startswith("registration queue export of 2 rows") for e in entries)


def test_a_name_with_control_characters_does_not_break_the_excel_export(staff_client, enrollee, window_staff):
    enrollee.name = "李\x1b四\x07"  # typed before names were checked
    enrollee.save()
    file_case(enrollee)
    response = staff_client.get(reverse("review:queue_export") + "?format=xlsx")
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[1][1] == "李四"


def test_claims_export_says_when_it_is_cut(staff_client, monkeypatch):
    from review.views import reports as report_views
    from tests.claims.test_submit import make_claim

    for person in many_enrollees(2):
        claim = make_claim(person)
        with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
            claim_services.claim_submit(actor=person, claim=claim)
    monkeypatch.setattr(report_views, "EXPORT_LIMIT", 1)
    response = staff_client.get(reverse("review:claims_export") + "?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert len(rows) == 3  # the header, one claim, the notice
    assert rows[2] == ["Only the first 1 rows: narrow the filters."]


def test_a_refused_full_export_says_why_in_the_portals_page(staff_client, case):
    response = staff_client.get(reverse("review:queue_export") + "?full=1")
    assert response.status_code == 403
    page = response.content.decode()
    assert "只有管理员可以导出完整的身份证号。" in page
    assert '<html lang="zh-Hans"' in page


def test_queue_export_says_when_it_is_cut(admin_client, monkeypatch, case, sheyang_case):
    from review.views import reports as report_views

    monkeypatch.setattr(report_views, "EXPORT_LIMIT", 1)
    response = admin_client.get(reverse("review:queue_export") + "?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:2]] == [case.number]  # the oldest first
    assert rows[2:] == [["Only the first 1 rows: narrow the filters."]]
