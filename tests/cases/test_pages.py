"""What every case page shows the same way (cases.pages): the history in words, the checklist with
what is on file, the refusal of a submission, the office's view of a document."""

from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from cases import pages
from claims.constants import ClaimEventAction, ClaimStatus
from common.models import AccessLog
from policy import rules
from registrations.constants import EventAction, RegistrationStatus
from registrations.models import Registration
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db


def kind(code, zh, en, *, in_portal=False):
    return rules.DocumentKindRule(code, zh, en, accepted_in_portal=in_portal)


IDENTITY = rules.MaterialGroupRule(
    code="identity",
    name_zh="身份证明",
    name_en="Proof of identity",
    purpose="registration",
    options=(
        rules.MaterialOptionRule(
            "card", "社保卡", "Social security card", (kind("card", "社保卡", "Social security card"),)
        ),
        rules.MaterialOptionRule(
            "register",
            "户口簿",
            "Household register",
            (kind("front", "首页", "First page"), kind("own", "本人页", "Own page")),
        ),
    ),
)
LETTER = rules.MaterialGroupRule(
    code="pledge",
    name_zh="承诺",
    name_en="Pledge",
    purpose="registration",
    when_agent=True,
    options=(
        rules.MaterialOptionRule("letter", "承诺书", "Letter", (kind("letter", "承诺书", "Letter", in_portal=True),)),
        # The same kind listed twice: its documents and form appear once.
        rules.MaterialOptionRule("card-again", "社保卡", "Card", (kind("card", "社保卡", "Social security card"),)),
    ),
)


def doc(kind_code, name="x.pdf"):
    return SimpleNamespace(kind=kind_code, original_name=name)


def row_of(document):
    return {"document": document}


# --- The checklist -----------------------------------------------------------------------------


def test_a_group_is_satisfied_by_any_one_option_complete():
    rows, _others = pages.checklist([IDENTITY], [doc("front")], provided={"front"}, document_row=row_of)
    assert rows[0]["satisfied"] is False  # half of the register is not an option
    rows, _others = pages.checklist(
        [IDENTITY], [doc("front"), doc("own")], provided={"front", "own"}, document_row=row_of
    )
    assert rows[0]["satisfied"] is True
    rows, _others = pages.checklist([IDENTITY], [doc("card")], provided={"card"}, document_row=row_of)
    assert rows[0]["satisfied"] is True


def test_a_kind_listed_twice_shows_its_documents_and_form_once():
    forms = []

    def upload_form(rule):
        forms.append(rule.code)
        return f"form:{rule.code}"

    rows, _others = pages.checklist(
        [IDENTITY, LETTER], [doc("card")], provided={"card"}, document_row=row_of, upload_form=upload_form
    )
    first = rows[0]["options"][0]["kinds"][0]
    again = rows[1]["options"][1]["kinds"][0]
    assert (first["code"], again["code"]) == ("card", "card")
    assert len(first["documents"]) == 1
    assert again["documents"] == []
    assert again["form"] is None
    assert forms.count("card") == 1
    assert again["provided"] is True  # still provided where it is listed again


def test_documents_of_kinds_the_rules_no_longer_list_are_kept_apart():
    rows, others = pages.checklist([IDENTITY], [doc("card"), doc("old-kind")], provided={"card"}, document_row=row_of)
    assert [row["document"].kind for row in others] == ["old-kind"]
    assert all(row["document"].kind != "old-kind" for k in rows[0]["options"][0]["kinds"] for row in k["documents"])


def test_the_checklist_names_things_in_the_readers_language_and_marks_the_portal_letter():
    with translation.override("en"):
        rows, _others = pages.checklist([LETTER], [], provided=set(), document_row=row_of)
    assert rows[0]["name"] == "Pledge"
    assert rows[0]["when_agent"] is True
    assert rows[0]["options"][0]["kinds"][0]["is_commitment"] is True
    with translation.override("zh-hans"):
        rows, _others = pages.checklist([LETTER], [], provided=set(), document_row=row_of)
    assert rows[0]["name"] == "承诺"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Proof of identity (Social security card; or First page + Own page)"),
        ("zh-hans", "身份证明（社保卡；或首页 + 本人页）"),
    ],
)
def test_a_missing_group_is_described_with_its_options(language, expected):
    with translation.override(language):
        assert pages.describe_missing(IDENTITY) == expected


def test_a_missing_group_whose_one_option_is_its_name_is_named_once():
    group = rules.MaterialGroupRule(
        code="referral",
        name_zh="转诊证明",
        name_en="Referral",
        purpose="registration",
        options=(rules.MaterialOptionRule("r", "转诊证明", "Referral", (kind("r", "转诊证明", "Referral"),)),),
    )
    with translation.override("en"):
        assert pages.describe_missing(group) == "Referral"


def test_a_refused_submission_names_the_missing_groups_or_the_rule():
    from common.errors import ServiceError

    with translation.override("en"):
        missing = pages.submit_problem(ServiceError("Still missing", {"documents": ["x"]}), [IDENTITY])
        assert missing["title"] == "Not submitted: still missing"
        assert missing["items"] == [pages.describe_missing(IDENTITY)]
        other = pages.submit_problem(ServiceError("Too late.", {"date": ["Too late.", "Call 12345."]}), [])
    assert other == {"title": "Too late.", "items": ["Call 12345."]}


# --- The history -------------------------------------------------------------------------------


def entry(action, *, actor=None, reason="", from_status="", to_status="", **details):
    return SimpleNamespace(
        at=timezone.now(), actor=actor, action=action, reason=reason, from_status=from_status, to_status=to_status,
        details=details,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("details", "note"),
    [
        ({"kind": "card"}, "Document: Social security card"),
        ({"kind": "gone"}, "Document: gone"),
        ({"invoice": "INV-9"}, "Invoice INV-9"),
        ({"approved_policy_amount": "700.00"}, "Approved policy amount: 700.00 yuan"),
        ({"approved_amount": "480.00"}, "Fund payment: 480.00 yuan"),
        ({"registration": "BA1"}, "Registration BA1"),
        ({"valid_from": "2026-05-10", "valid_until": "2027-05-09"}, "Valid from 2026-05-10 until 2027-05-09"),
        ({"valid_from": "2026-05-10"}, "Valid from 2026-05-10 until changed or cancelled"),
        ({"effective_date": "2026-06-01"}, "Effective from 2026-06-01"),
        ({"successor": "BA2"}, "Change filed as BA2"),
        ({"fields": ["care_city", "agent"]}, "Changed: city of care, agent"),
        ({"fixes": ["fix one"]}, "fix one"),
    ],
)
def test_each_thing_a_history_row_stores_is_said_in_words(details, note):
    with translation.override("en"):
        notes = pages.history_notes(
            entry("updated", **details),
            actions=EventAction,
            kind_names={"card": "Social security card"},
            model=Registration,
        )
    assert notes == [note]


def test_reasons_are_read_out_on_a_rejection_only():
    rejected = entry(EventAction.REJECTED, reasons=["不符合条件"])
    returned = entry(EventAction.RETURNED, reasons=["不符合条件"])
    assert pages.history_notes(rejected, actions=EventAction, kind_names={}, model=Registration) == ["不符合条件"]
    assert pages.history_notes(returned, actions=EventAction, kind_names={}, model=Registration) == []


def test_who_acted_is_said_as_the_reader_knows_them(enrollee, window_staff, other_enrollee):
    with translation.override("en"):
        assert pages.actor_label(None, enrollee) == "System"
        assert pages.actor_label(enrollee, enrollee) == "张三 (you)"
        assert pages.actor_label(window_staff, enrollee) == "Office staff: staff"
        assert pages.actor_label(other_enrollee, enrollee) == "李四"


def test_the_history_of_a_claim_reads_its_own_statuses_and_actions(enrollee):
    case = SimpleNamespace(
        events=SimpleNamespace(
            all=lambda: [entry(ClaimEventAction.PAID, from_status=ClaimStatus.APPROVED, to_status=ClaimStatus.PAID)]
        )
    )
    with translation.override("en"):
        [row] = pages.history(case, enrollee, statuses=ClaimStatus, actions=ClaimEventAction, kind_names={})
    assert (row["what"], row["from_status"], row["to_status"], row["who"]) == ("Paid", "Approved", "Paid", "System")


def test_an_unknown_stored_code_is_shown_as_it_is():
    assert pages.label(RegistrationStatus, "no-longer-a-status") == "no-longer-a-status"
    with translation.override("en"):
        assert pages.label(RegistrationStatus, "approved") == "Approved"


# --- The page context --------------------------------------------------------------------------


def test_fixes_show_while_returned_and_reasons_while_rejected(enrollee, window_staff):
    from registrations import services

    registration = make_registration(enrollee, submit=True)
    services.registration_decide(actor=window_staff, registration=registration, decision="return", reasons=["补正"])
    registration.refresh_from_db()
    context = pages.case_context(
        registration, enrollee, groups=[], provided=set(), statuses=RegistrationStatus, actions=EventAction,
        document_row=row_of,
    )  # fmt: skip
    assert context["fixes"] == ["补正"]
    assert context["reject_reasons"] == []
    assert context["upload_limit_mb"] == 10


def test_the_office_reading_a_case_is_written_to_the_access_log(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    context = pages.review_context(
        registration, window_staff, groups=[], provided=set(), statuses=RegistrationStatus, actions=EventAction,
        document_row=row_of,
    )  # fmt: skip
    assert context["full_national_id"] == "32060219900101123X"
    log = AccessLog.objects.get()
    assert (log.actor, log.action, log.detail) == (window_staff, "reveal_id", registration.number)


def test_the_offices_document_row_links_to_the_logged_view(enrollee):
    registration = make_registration(enrollee)
    document = SimpleNamespace(uuid="00000000-0000-0000-0000-000000000001")
    row = pages.review_document_row(registration, url_name="review:document", forms={document.uuid: "form"})(document)
    assert row["file_url"] == f"/review/{registration.uuid}/documents/{document.uuid}/"
    assert row["form"] == "form"
