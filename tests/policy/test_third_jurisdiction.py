"""A third jurisdiction, set up by an admin in the Django admin alone, works with no code change.

Every registration-type, material-group and document-kind code of 湖西县 differs from Nantong's
(and no group code ends in "proof"), so the test fails wherever behaviour still hangs on a seed's
codes: the wizard, filing online with an upload and the commitment letter accepted in the portal,
staff approval, the rescue path, a claim with its invoice, and the reminder sweep.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.national_id import check_character
from accounts.services import enrollee_register, user_create
from claims.constants import ClaimStatus
from claims.models import Claim
from notifications import reminders
from notifications.models import Notification
from offices.models import Jurisdiction, Office
from policy.models import DocumentKind, RegistrationType, RuleSet
from registrations.constants import RegistrationStatus
from registrations.models import Registration
from tests.conftest import PASSWORD, PortalClient
from tests.files import upload

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "0515-86660000"
ENROLLEE_ID = "32092319760512002" + check_character("32092319760512002")
SOURCE = "湖西县医疗保险异地就医办理指南（2026）"

# (code, category, validity rule, months, points, filed, reviewed, channels, wizard answer, rescue default)
TYPES = [
    ("lt_a", "long_term", "proof_expiry", "", 0, True, True, ["online", "window"], "living_elsewhere", False),
    ("tmp_ref", "temporary", "fixed_months", 6, 10, True, True, ["online", "hospital"], "referred", False),
    ("tmp_other", "temporary", "fixed_months", 6, 25, True, False, ["online"], "other", True),
    ("urgent", "temporary", "not_required", "", 15, False, False, [], "emergency", False),
]
NAMES = {
    "lt_a": ("湖西长期居住人员", "Lakeside long-term resident"),
    "tmp_ref": ("湖西转院人员", "Lakeside hospital transfer"),
    "tmp_other": ("湖西其他外出就医", "Lakeside other care away"),
    "urgent": ("湖西急救", "Lakeside urgent care"),
}
# (code, zh, en, accepted in the portal)
DOCUMENTS = [
    ("card_x", "湖西医保卡", "Lakeside insurance card", False),
    ("permit_x", "居住登记凭证", "Residence record", False),
    ("pledge_x", "湖西居住承诺", "Lakeside residence pledge", True),
    ("transfer_x", "转院单", "Transfer slip", False),
    ("bill_x", "收费票据", "Receipt", False),
]


def _inline(prefix: str, rows: list[dict]) -> dict:
    """An admin inline formset's POST data: new rows only, unticked boxes left out (as a browser does)."""
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is not False:
                data[f"{prefix}-{index}-{name}"] = "on" if value is True else value
    return data


def _form_errors(response) -> list:
    context = response.context or {}
    errors = []
    if "adminform" in context:
        errors += [context["adminform"].form.errors]
    for inline in context.get("inline_admin_formsets", []):
        errors += [inline.formset.errors, inline.formset.non_form_errors()]
    return [*errors, *context.get("problems", [])]


def admin_post(client, url: str, data: dict):
    response = client.post(url, data)
    assert response.status_code == 302, _form_errors(response)
    return response


def _type_row(code, category, validity_rule, months, points, filed, reviewed, channels, situation, rescue):
    name_zh, name_en = NAMES[code]
    return {
        "code": code,
        "category": category,
        "name_zh": name_zh,
        "name_en": name_en,
        "validity_rule": validity_rule,
        "validity_months": months,
        "reduction_points": points,
        "filing_required": filed,
        "review_required": reviewed,
        "channels": channels,
        "referrer_min_level": 2 if situation == "referred" else "",
        "wizard_situation": situation,
        "rescue_default": rescue,
        "position": 0,
        "source_ref": f"{SOURCE} 二",
    }


def _group(client, ruleset, *, code, zh, en, options, purpose="registration", type_code="", claim_kind="", **flags):
    """A material group with its options, through the admin's group page and its option rows."""
    kinds = dict(DocumentKind.objects.values_list("code", "pk"))
    registration_type = RegistrationType.objects.get(ruleset=ruleset, code=type_code).pk if type_code else ""
    data = {
        "ruleset": ruleset.pk,
        "purpose": purpose,
        "registration_type": registration_type,
        "claim_kind": claim_kind,
        "code": code,
        "name_zh": zh,
        "name_en": en,
        "position": 0,
        "source_ref": f"{SOURCE} 三",
        **{name: "on" for name, value in flags.items() if value},
        **_inline(
            "options",
            [
                {"code": option, "name_zh": option, "name_en": option, "document_kinds": [kinds[d]], "position": 0}
                for option, d in options
            ],
        ),
    }
    admin_post(client, reverse("admin:policy_materialgroup_add"), data)


@pytest.fixture
def lakeside(admin_client, time_machine):
    """湖西县: jurisdiction, office with its phone, documents, a rule set with its types, materials and
    claim window, published — each through the admin's add forms and its publish page."""
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    admin_post(
        admin_client,
        reverse("admin:offices_jurisdiction_add"),
        {
            "code": "lakeside",
            "name_zh": "湖西县",
            "name_en": "Lakeside County",
            "province": "江苏省",
            "hotlines": f'["{PHONE}"]',
            "source": SOURCE,
            "effective_from": "2026-01-01",
        },
    )
    jurisdiction = Jurisdiction.objects.get(code="lakeside")
    admin_post(
        admin_client,
        reverse("admin:offices_office_add"),
        {
            "jurisdiction": jurisdiction.pk,
            "code": "lakeside-centre",
            "name_zh": "湖西县医保中心",
            "name_en": "Lakeside insurance centre",
            "office_address": "湖西县湖滨路1号",
            "position": 0,
            **_inline("phones", [{"number": PHONE, "label_zh": "", "label_en": "", "position": 0}]),
        },
    )
    for code, zh, en, in_portal in DOCUMENTS:
        admin_post(
            admin_client,
            reverse("admin:policy_documentkind_add"),
            {"code": code, "name_zh": zh, "name_en": en, **({"accepted_in_portal": "on"} if in_portal else {})},
        )

    ruleset_data = {
        "jurisdiction": jurisdiction.pk,
        "name": "湖西 2026-01",
        "effective_from": "2026-01-01",
        "source": SOURCE,
        # A window of its own (30 November; 28 February next year in special cases): no seed's dates.
        "claim_deadline_month": 11,
        "claim_deadline_day": 30,
        "claim_extension_month": 2,
        "claim_extension_day": 28,
        "claim_extension_year_offset": 1,
        **_inline("registration_types", [_type_row(*row) for row in TYPES]),
        **_inline(
            "catalogue_rules",
            [
                {"care_scope": "in_province", "catalogue": "jiangsu_unified", "source_ref": SOURCE},
                {"care_scope": "cross_province", "catalogue": "care_region", "source_ref": SOURCE},
            ],
        ),
        **_inline(
            "settlement_scopes",
            [{"care_scope": "", "care_province": "", "service": "inpatient", "source_ref": SOURCE}],
        ),
        **_inline("special_disease_rules", []),
        **_inline("benefit_rows", []),
    }
    admin_post(admin_client, reverse("admin:policy_ruleset_add"), ruleset_data)
    ruleset = RuleSet.objects.get(jurisdiction=jurisdiction)

    _group(
        admin_client, ruleset, code="who_lt", zh="身份", en="Identity", options=[("card", "card_x")], type_code="lt_a"
    )
    _group(
        admin_client,
        ruleset,
        code="stay_x",
        zh="居住材料",
        en="Residence papers",
        options=[("permit", "permit_x"), ("pledge", "pledge_x")],
        type_code="lt_a",
        sets_validity=True,
    )
    _group(
        admin_client,
        ruleset,
        code="who_ref",
        zh="身份",
        en="Identity",
        options=[("card", "card_x")],
        type_code="tmp_ref",
    )
    _group(
        admin_client, ruleset, code="slip", zh="转院单", en="Transfer slip", options=[("slip", "transfer_x")],
        type_code="tmp_ref",
    )  # fmt: skip
    _group(
        admin_client, ruleset, code="who_other", zh="身份", en="Identity", options=[("card", "card_x")],
        type_code="tmp_other",
    )  # fmt: skip
    for kind in ("outpatient", "inpatient"):
        _group(
            admin_client, ruleset, code="bills", zh="票据", en="Receipts", options=[("bill", "bill_x")],
            purpose="claim", claim_kind=kind,
        )  # fmt: skip

    assert not RuleSet.objects.get(pk=ruleset.pk).published  # a draft judges nothing yet
    admin_post(admin_client, reverse("admin:policy_ruleset_publish", args=[ruleset.pk]), {"backdated_ok": "1"})
    return jurisdiction


@pytest.fixture
def lakeside_enrollee(lakeside):
    return enrollee_register(
        national_id_value=ENROLLEE_ID,
        name="赵六",
        phone="13900000031",
        password=PASSWORD,
        scheme="resident",
        jurisdiction_code="lakeside",
        office_code="lakeside-centre",
    )


@pytest.fixture
def me(lakeside_enrollee):
    client = PortalClient()
    client.force_login(lakeside_enrollee)
    return client


@pytest.fixture
def lakeside_staff(lakeside):
    office = Office.objects.get(code="lakeside-centre")
    staff = user_create(username="lakeside-staff", password=PASSWORD, role=Role.STAFF, offices=[office])
    client = PortalClient()
    client.force_login(staff)
    return client


def _wizard(client, situation, care_scope="cross_province"):
    query = {"jurisdiction": "lakeside", "situation": situation, "care_scope": care_scope, "on": "2026-06-01"}
    return client.get(reverse("policy:wizard"), query, **EN)


def test_the_wizard_recommends_the_types_the_admin_gave_each_answer(client, lakeside):
    for situation, code in (
        ("living_elsewhere", "lt_a"),
        ("referred", "tmp_ref"),
        ("other", "tmp_other"),
        ("emergency", "urgent"),
    ):
        result = _wizard(client, situation).context["result"]
        assert result.recommended.rule.code == code, situation
        assert result.ruleset.name == "湖西 2026-01"
        assert result.claim_deadline == datetime.date(2026, 11, 30)

    other = _wizard(client, "other")
    assert other.context["result"].cheaper_referral.code == "tmp_ref"  # 10 points instead of 25
    assert 'href="#type-tmp_ref"' in other.content.decode()
    assert 'id="no-filing-note"' in _wizard(client, "emergency").content.decode()

    # No type answers it: the page says so and gives the office's phone.
    retired = _wizard(client, "retired_moved")
    assert retired.context["result"].recommended is None
    page = retired.content.decode()
    assert 'id="not-offered-note"' in page
    assert f'href="tel:{PHONE}"' in page


def test_filing_online_with_the_letter_accepted_in_the_portal_then_approval(me, lakeside_staff, lakeside_enrollee):
    offered = me.get(reverse("registrations:new"), **EN).content.decode()
    for code in ("lt_a", "tmp_ref", "tmp_other"):
        assert reverse("registrations:new_details", args=[code]) in offered

    url = reverse("registrations:new_details", args=["lt_a"])
    form = me.get(url, **EN).content.decode()
    assert 'name="proof_option"' in form  # the group marked as the proof, though no code says "proof"
    assert 'value="pledge"' in form
    assert 'name="proof_valid_until"' in form
    details = {"care_province": "上海市", "care_city": "上海市", "start_date": "2026-06-01", "proof_option": "pledge"}
    assert me.post(url, details).status_code == 302
    registration = Registration.objects.get(enrollee=lakeside_enrollee)
    assert (registration.registration_type, registration.care_scope) == ("lt_a", "cross_province")

    detail = reverse("registrations:detail", args=[registration.uuid])
    page = me.get(detail, **EN).content.decode()
    assert 'id="commitment"' in page  # the pledge is accepted here…
    pledge = page[page.index('id="kind-pledge_x"') :].split("</div>")[0]
    assert 'href="#commitment"' in pledge
    assert 'name="kind" value="pledge_x"' not in page  # …not uploaded
    assert 'name="kind" value="card_x"' in page
    letter = me.get(reverse("printing:commitment", kwargs={"uuid": registration.uuid}))
    assert letter.status_code in (200, 503)  # printable (503: no Chinese font here), not 409 "no letter"
    upload_url = reverse("registrations:document_upload", args=[registration.uuid])
    assert me.post(upload_url, {"kind": "card_x", "file": upload("card.pdf")}).status_code == 302
    refused = me.post(reverse("registrations:submit", args=[registration.uuid]), **EN)
    assert refused.status_code == 400  # the residence papers are still missing
    assert me.post(reverse("registrations:commitment", args=[registration.uuid]), {"accept": "on"}).status_code == 302
    assert me.post(reverse("registrations:submit", args=[registration.uuid])).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED

    review = lakeside_staff.get(reverse("review:detail", args=[registration.uuid]), **EN).content.decode()
    assert "Commitment letter accepted online on 2026-06-01" in review
    decided = lakeside_staff.post(reverse("review:decide", args=[registration.uuid]), {"decision": "approve"})
    assert decided.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.valid_from == datetime.date(2026, 6, 1)
    assert registration.valid_until is None  # the pledge does not expire


RESCUE = {
    "treated_on": "2026-05-20",
    "claim_kind": "inpatient",
    "emergency": "no",
    "referred": "no",
    "discharged": "yes",
    "care_province": "上海市",
    "care_city": "上海市",
    "referral_hospital": "",
    "referral_hospital_level": "",
}


def _rescue(client, **answers):
    advice = client.post(reverse("claims:rescue"), {**RESCUE, **answers}, **EN)
    assert advice.status_code == 200, advice.content.decode()[:2000]
    filed = client.post(reverse("claims:rescue"), {**RESCUE, **answers, "confirm": "file"})
    assert filed.status_code == 302
    return advice.context["advice"], Claim.objects.filter(enrollee__phone="13900000031").latest("pk")


def test_the_rescue_path_files_what_the_data_says(me):
    advice, claim = _rescue(me)
    assert (advice.registration_type, advice.reduction_points) == ("tmp_other", 25)
    assert advice.cheaper_with_referral is True
    assert advice.claim_deadline == datetime.date(2026, 11, 30)
    assert claim.registration.registration_type == "tmp_other"

    advice, claim = _rescue(me, referred="yes", referral_hospital="湖西县人民医院", referral_hospital_level="2")
    assert (advice.registration_type, advice.reduction_points) == ("tmp_ref", 10)
    assert claim.registration.registration_type == "tmp_ref"

    advice, claim = _rescue(me, emergency="yes")
    assert (advice.registration_type, advice.reduction_points) == (None, 15)
    assert claim.emergency
    assert claim.registration is None


INVOICE = {
    "invoice_no": "HX-0001",
    "date": "2026-05-20",
    "institution": "上海市第六人民医院",
    "institution_level": "3",
    "province": "上海市",
    "city": "上海市",
    "total_amount": "3000.00",
    "policy_amount": "2500.00",
}


def test_a_claim_with_its_invoice_is_submitted_and_a_draft_is_reminded(me, time_machine):
    _advice, submitted = _rescue(me, referred="yes", referral_hospital="湖西县人民医院", referral_hospital_level="2")
    _advice, draft = _rescue(me, emergency="yes")
    for claim in (submitted, draft):
        response = me.post(reverse("claims:expense_add", args=[claim.uuid]), {**INVOICE, "invoice_no": claim.number})
        assert response.status_code == 302
    bill = {"kind": "bill_x", "file": upload("bill.pdf")}
    assert me.post(reverse("claims:document_upload", args=[submitted.uuid]), bill).status_code == 302
    assert me.post(reverse("claims:submit", args=[submitted.uuid])).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.SUBMITTED

    # Seven days before this jurisdiction's own deadline, only the unsubmitted claim is reminded.
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI), tick=False)
    reminders.sweep(datetime.date(2026, 11, 23), send=lambda ids: None)
    [(recipient, key, due)] = Notification.objects.filter(kind="claim_window").values_list(
        "recipient__phone", "dedupe_key", "due_date"
    )
    assert (recipient, due) == ("13900000031", datetime.date(2026, 11, 30))
    assert key == f"claim_window:claim:{draft.pk}:2026-11-30:7"
