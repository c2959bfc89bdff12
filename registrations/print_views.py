"""PDF printables of a registration: the mail form, the commitment letter, the receipt.

Thin views: the registration comes through registrations.selectors (another person's is a
404), the rules through policy.selectors, and registrations.printing draws the PDF from plain
values. With no Chinese font on the server the views answer 503 with a message, not a PDF
whose Chinese would print as blanks.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.downloads import content_disposition
from policy import rules
from policy import selectors as policy
from policy.constants import Channel
from registrations import printing, selectors
from registrations.constants import RegistrationStatus

logger = logging.getLogger(__name__)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _unavailable(error: printing.FontUnavailable) -> HttpResponse:
    logger.error("PDF printing unavailable: %s (install Debian's fonts-wqy-microhei)", error)
    response = _plain(
        _(
            "Printing is not available at the moment: the server has no Chinese font to put in the PDF. "
            "Please try again later, or ask the service window for a paper form."
        ),
        503,
    )
    response["Retry-After"] = "3600"
    return response


def _fonts() -> printing.Fonts:
    return printing.find_fonts(getattr(settings, "PRINT_FONT_FILE", ""))


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _materials(registration) -> tuple[str, ...]:
    """The rules' material groups, as the paper lists them: 身份证明：医保电子凭证 或 有效身份证件."""
    lines = []
    for group in selectors.checklist(registration):
        options = " 或 ".join("＋".join(d.name_zh for d in option.documents) for option in group.options)
        lines.append(f"{group.name_zh}：{options}" if options else group.name_zh)
    return tuple(lines)


def _printout(registration) -> printing.Printout:
    ruleset = policy.ruleset_by_id(registration.ruleset_id)
    type_rule = None
    if ruleset is not None:
        try:
            type_rule = rules.registration_type(ruleset, registration.registration_type)
        except rules.PolicyError:
            type_rule = None  # a rule set edited since: print what the registration says
    office = registration.office
    phones = tuple(
        f"{phone.number}（{phone.label_zh}）" if phone.label_zh else phone.number for phone in office.phones.all()
    )
    enrollee = registration.enrollee
    return printing.Printout(
        number=registration.number,
        status=registration.status,
        jurisdiction_name=registration.jurisdiction.name_zh,
        office=printing.OfficeContact(
            name=office.name_zh,
            office_address=office.office_address,
            mailing_address=office.mailing_address,
            phones=phones or tuple(registration.jurisdiction.hotlines or ()),
        ),
        registration_type_name=type_rule.name_zh if type_rule else registration.registration_type,
        category=registration.category,
        enrollee_name=enrollee.name or enrollee.get_full_name(),
        national_id_masked=enrollee.national_id_masked,
        phone=registration.contact_phone or enrollee.phone or "",
        scheme=enrollee.scheme,
        care_province=registration.care_province,
        care_city=registration.care_city,
        contact_address=registration.contact_address,
        start_date=registration.start_date,
        proof_valid_until=registration.proof_valid_until,
        referral_hospital=registration.referral_hospital,
        special_disease=registration.special_disease,
        designated_institution=registration.designated_institution,
        agent_name=registration.agent_name,
        agent_id_masked=registration.agent_id_masked,
        agent_relationship=registration.agent_relationship,
        submitted_on=timezone.localdate(registration.submitted_at) if registration.submitted_at else None,
        valid_from=registration.valid_from,
        valid_until=registration.valid_until,
        mail_forms=type_rule.mail_forms if type_rule else "",
        mail_accepted=bool(type_rule and Channel.MAIL in type_rule.channels),
        materials=_materials(registration) if ruleset is not None else (),
        ruleset_name=ruleset.name if ruleset else "",
    )


@require_GET
@login_required
def registration_form(request, uuid):
    registration = selectors.registration_get(request.user, uuid)
    try:
        data = printing.registration_form_pdf(
            _printout(registration), fonts=_fonts(), printed_at=timezone.localtime(), english=_english()
        )
    except printing.FontUnavailable as error:
        return _unavailable(error)
    return _pdf_response(data, f"异地就医登记备案表-{registration.number}.pdf")


@require_GET
@login_required
def commitment_letter(request, uuid):
    registration = selectors.registration_get(request.user, uuid)
    if not selectors.portal_accepted_kinds(registration):
        return _plain(_("The rules for this registration type do not accept a commitment letter."), 409)
    try:
        data = printing.commitment_letter_pdf(
            _printout(registration), fonts=_fonts(), printed_at=timezone.localtime(), english=_english()
        )
    except printing.FontUnavailable as error:
        return _unavailable(error)
    return _pdf_response(data, f"个人承诺书-{registration.number}.pdf")


@require_GET
@login_required
def receipt(request, uuid):
    registration = selectors.registration_get(request.user, uuid)
    if registration.status == RegistrationStatus.DRAFT or not registration.submitted_at:
        return _plain(_("This registration has not been submitted yet, so there is no receipt to print."), 409)
    status_url = request.build_absolute_uri(printing.status_check_path(registration.number))
    try:
        data = printing.receipt_pdf(
            _printout(registration),
            status_url=status_url,
            fonts=_fonts(),
            printed_at=timezone.localtime(),
            english=_english(),
        )
    except printing.FontUnavailable as error:
        return _unavailable(error)
    return _pdf_response(data, f"备案回执-{registration.number}.pdf")
