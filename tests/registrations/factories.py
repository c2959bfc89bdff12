"""Registrations in each state, made through the services (so history rows exist too)."""

import datetime

from django.utils import timezone

from registrations import services
from tests.files import upload

REFERRAL = {
    "registration_type": "referral",
    "care_scope": "cross_province",
    "care_province": "上海市",
    "care_city": "上海市",
    "referral_hospital": "南通大学附属医院",
    "referral_hospital_level": 3,
}
OTHER_TEMPORARY = {
    "registration_type": "other_temporary",
    "care_scope": "in_province",
    "care_province": "江苏省",
    "care_city": "苏州市",
}
LONG_TERM = {
    "registration_type": "long_term_resident",
    "care_scope": "cross_province",
    "care_province": "广东省",
    "care_city": "深圳市",
}
DOCUMENTS = {
    "referral": ["id_document", "referral_certificate"],
    "other_temporary": ["social_security_card"],
    "long_term_resident": ["id_document", "residence_permit"],
}


def make_registration(enrollee, *, fields=REFERRAL, start_date=None, submit=False, actor=None, **extra):
    actor = actor or enrollee
    registration = services.registration_create(
        actor=actor,
        enrollee=enrollee,
        start_date=start_date or timezone.localdate(),
        **fields,
        **extra,
    )
    if submit:
        for kind in DOCUMENTS[fields["registration_type"]]:
            services.document_add(actor=actor, registration=registration, kind=kind, uploaded_file=upload())
        registration = services.registration_submit(actor=actor, registration=registration)
    return registration


def make_approved(enrollee, staff, **kwargs):
    registration = make_registration(enrollee, submit=True, **kwargs)
    if registration.status == "submitted":
        registration = services.registration_decide(actor=staff, registration=registration, decision="approve")
    return registration


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
