"""Writes of registrations: every state change happens here and writes a history row.

State machine (transitions are verbs, never a PATCH of status):

    draft ──submit──▶ submitted ──approve──▶ approved ──(validity ends)──▶ expired
      │                  │  │                    │  └──change approved──▶ superseded
      │                  │  └─return──▶ returned ─submit─┘ (back to submitted)
      │                  └─reject──▶ rejected
      └─(types that need no review) submit ──▶ approved at once
    draft / submitted / returned / approved ──cancel──▶ cancelled

Decisions lock the row (select_for_update) and check its status, so of two staff deciding
the same case exactly one wins and the other gets a ConflictError (409).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import national_id
from accounts.models import User
from cases import records
from cases.constants import Decision
from cases.decisions import lock_for_decision
from common.errors import ConflictError, ServiceError
from common.storage import purge_closed_documents
from common.uploads import validate_upload
from policy import rules
from policy import selectors as policy
from policy.constants import CareScope, Channel
from registrations import events, selectors
from registrations.constants import (
    CANCELLABLE_STATUSES,
    CLOSED_STATUSES,
    DETAIL_FIELDS,
    EDITABLE_STATUSES,
    DocumentStatus,
    EventAction,
    RegistrationStatus,
)
from registrations.models import Registration, RegistrationDocument, RegistrationEvent, new_registration_number


def _event(registration, **entry) -> RegistrationEvent:
    """Write a history row and announce it (registrations.events): notifications listen."""
    return records.history(registration, RegistrationEvent, events.registration_changed, **entry)


def _type_rule(registration) -> rules.RegistrationTypeRule:
    ruleset = policy.ruleset_by_id(registration.ruleset_id)
    return rules.registration_type(ruleset, registration.registration_type)


def _ruleset_for(enrollee, start_date) -> rules.RuleSetSnapshot:
    if enrollee.jurisdiction_id is None or enrollee.office_id is None:
        raise ServiceError(_("The enrollee's insured region and office are not known: complete the profile first."))
    try:
        return policy.ruleset_for(enrollee.jurisdiction.code, start_date)
    except rules.PolicyError as error:
        raise _policy_error(error) from None


# The registration's own names for the fields the policy rules talk about.
POLICY_FIELDS = {
    "institution_level": "designated_institution_level",
    "institution_dialysis_qualified": "designated_institution_dialysis",
    "on_date": "start_date",
}


def _policy_error(error: rules.PolicyError) -> ServiceError:
    return ServiceError(error.message, {POLICY_FIELDS.get(k, k): v for k, v in error.errors.items()})


def _type_rule_for_filing(ruleset, code: str, channel: str) -> rules.RegistrationTypeRule:
    """The type, if it is one people file (emergency is not) through this channel."""
    try:
        type_rule = rules.registration_type(ruleset, code)
    except rules.PolicyError as error:
        raise _policy_error(error) from None
    if not type_rule.filing_required:
        message = _("“%(type)s” counts as registered: no filing is needed. Keep your invoices to claim.") % {
            "type": type_rule.name_zh
        }
        raise ServiceError(message, {"registration_type": [message]})
    if channel != Channel.ONLINE and channel not in type_rule.channels:
        # The portal itself is an additional online channel; others must be ones the rules list.
        message = _("“%(type)s” cannot be filed through this channel; the rules allow: %(allowed)s.") % {
            "type": type_rule.name_zh,
            "allowed": ", ".join(str(Channel(c).label) for c in type_rule.channels) or "—",
        }
        raise ServiceError(message, {"channel": [message]})
    return type_rule


def _check_details(registration, type_rule: rules.RegistrationTypeRule, ruleset) -> None:
    """Validate the filed facts against the rules; raise naming the field."""
    errors = {}
    if not registration.care_province:
        errors["care_province"] = [_("Choose the province where you live or will be treated.")]
    expected_scope = rules.care_scope_for(registration.care_province, registration.jurisdiction.province)
    if registration.care_province and registration.care_scope != expected_scope:
        errors["care_scope"] = [
            _("%(province)s is %(scope)s care for this region.")
            % {"province": registration.care_province, "scope": CareScope(expected_scope).label}
        ]
    today = timezone.localdate()
    if registration.start_date and not (
        today - datetime.timedelta(days=366) <= registration.start_date <= today + datetime.timedelta(days=366)
    ):
        errors["start_date"] = [_("The start date must be within a year of today.")]
    if errors:
        raise ServiceError(_("Please correct the fields marked below."), errors)
    try:
        rules.validity(type_rule, starts=registration.start_date, proof_valid_until=registration.proof_valid_until)
        rules.catalogue(ruleset, registration.care_scope)
        if type_rule.referrer_min_level or type_rule.referrer_needs_referral_rights:
            rules.referrer_check(type_rule, level=registration.referral_hospital_level, can_refer=None)
        if registration.special_disease:
            if not registration.designated_institution:
                raise rules.PolicyError(
                    "designated_institution", _("Name the one designated institution for the special disease.")
                )
            check = rules.special_disease_check(
                ruleset,
                registration.special_disease,
                institution_level=registration.designated_institution_level,
                dialysis_qualified=registration.designated_institution_dialysis,
            )
            if not check.allowed:  # the institution is not described enough to tell
                raise rules.PolicyError("designated_institution", check.reason)
    except rules.PolicyError as error:
        raise _policy_error(error) from None


def registration_create(
    *,
    actor,
    enrollee,
    registration_type: str,
    care_scope: str,
    care_province: str,
    start_date: datetime.date,
    channel: str = Channel.ONLINE,
    agent: dict | None = None,
    **details,
) -> Registration:
    """A new draft. The type must be one the enrollee's rules offer on the start date."""
    with transaction.atomic():
        ruleset = _ruleset_for(enrollee, start_date)
        type_rule = _type_rule_for_filing(ruleset, registration_type, channel)
        registration = Registration(
            **records.parties(actor=actor, enrollee=enrollee),
            ruleset_id=ruleset.id,
            registration_type=type_rule.code,
            category=type_rule.category,
            channel=channel,
            care_scope=care_scope,
            care_province=care_province,
            start_date=start_date,
            **{field: value for field, value in details.items() if field in DETAIL_FIELDS},
        )
        _set_agent(registration, agent)
        _check_details(registration, type_rule, ruleset)
        while Registration.objects.filter(number=registration.number).exists():  # a million a day: rare
            registration.number = new_registration_number()
        registration.full_clean(exclude=["number"])
        registration.save()
        _event(registration, actor=actor, action=EventAction.CREATED, channel=channel)
        return registration


def _set_agent(registration, agent: dict | None) -> None:
    if not agent:
        registration.agent_name = registration.agent_id_masked = registration.agent_relationship = ""
        return
    errors = {}
    if not (agent.get("name") or "").strip():
        errors["agent"] = [_("Give the agent's name.")]
    try:
        number = national_id.validate(agent.get("national_id", ""))
    except Exception as error:  # ValidationError: the message says what is wrong
        errors["agent"] = [*errors.get("agent", []), *getattr(error, "messages", [str(error)])]
        number = ""
    if errors:
        raise ServiceError(_("Please correct the fields marked below."), errors)
    registration.agent_name = agent["name"].strip()
    registration.agent_id_masked = national_id.mask(number)
    registration.agent_relationship = (agent.get("relationship") or "").strip()[:32]


def _lock(registration) -> Registration:
    # of=self: lock the registration alone, not the office and jurisdiction rows it joins.
    locked = Registration.objects.select_for_update(of=("self",)).select_related("jurisdiction", "office")
    return locked.get(pk=registration.pk)


def _require_editable(registration) -> None:
    if registration.status not in EDITABLE_STATUSES:
        raise ConflictError(
            _("This registration is “%(status)s” and can no longer be edited.")
            % {"status": registration.get_status_display()}
        )


def registration_update(*, actor, registration, agent: dict | None = None, **changes) -> Registration:
    """Change the details of a draft or a returned filing."""
    with transaction.atomic():
        registration = _lock(registration)
        _require_editable(registration)
        if {"registration_type", "start_date", "channel"} & set(changes):
            # A new type or start date may fall under another version of the rules; the type
            # must still be one people file, through a channel the rules list.
            ruleset = _ruleset_for(registration.enrollee, changes.get("start_date", registration.start_date))
            type_rule = _type_rule_for_filing(
                ruleset,
                changes.get("registration_type", registration.registration_type),
                changes.get("channel", registration.channel),
            )
            registration.registration_type, registration.category = type_rule.code, type_rule.category
            registration.ruleset_id = ruleset.id
        for field in (*DETAIL_FIELDS, "care_scope", "channel"):
            if field in changes:
                setattr(registration, field, changes[field])
        if agent is not None:
            _set_agent(registration, agent)
        _check_details(registration, _type_rule(registration), policy.ruleset_by_id(registration.ruleset_id))
        registration.full_clean(exclude=["number"])
        registration.save()
        _event(registration, actor=actor, action=EventAction.UPDATED, fields=sorted(changes))
        return registration


def document_add(*, actor, registration, kind: str, uploaded_file) -> RegistrationDocument:
    """Store a checked upload (PDF/JPEG/PNG by content, ≤ 10 MiB, images re-encoded)."""
    with transaction.atomic():
        clean = validate_upload(uploaded_file)  # the slow part (re-encoding, virus scan) before locking
        registration = _lock(registration)
        _require_editable(registration)

        def record(document):
            uuid = str(document.uuid)
            _event(registration, actor=actor, action=EventAction.DOCUMENT_ADDED, kind=kind, document=uuid)

        allowed = selectors.allowed_document_kinds(registration)
        return records.document_store(
            registration, RegistrationDocument, actor=actor, kind=kind, clean=clean, allowed=allowed, record=record
        )


def commitment_accept(*, actor, registration) -> Registration:
    """Record the enrollee's acceptance of the personal commitment letter (个人承诺书)."""
    with transaction.atomic():
        registration = _lock(registration)
        _require_editable(registration)
        if not selectors.portal_accepted_kinds(registration):
            raise ServiceError(_("The rules for this registration type do not accept a commitment letter."))
        registration.commitment_accepted_at = timezone.now()
        registration.save(update_fields=["commitment_accepted_at", "updated_at"])
        _event(registration, actor=actor, action=EventAction.COMMITMENT_ACCEPTED)
        return registration


def document_remove(*, actor, document) -> None:
    with transaction.atomic():
        registration = _lock(document.registration)
        _require_editable(registration)
        if document.status == DocumentStatus.ACCEPTED:
            raise ConflictError(_("This document was already accepted by the office and stays on file."))

        def record(kind, uuid):
            _event(registration, actor=actor, action=EventAction.DOCUMENT_REMOVED, kind=kind, document=uuid)

        records.document_discard(registration, document, record=record)


def _check_overlap(registration, *, starts, ends) -> None:
    blocking = selectors.open_registrations_overlapping(
        enrollee=registration.enrollee,
        category=registration.category,
        starts=starts,
        ends=ends,
        exclude_ids=[registration.pk, registration.supersedes_id or 0],
    ).first()
    if blocking:
        raise ConflictError(
            _(
                "Registration %(number)s (%(status)s, from %(start)s) already covers this period for the same "
                "category: cancel or change it first."
            )
            % {"number": blocking.number, "status": blocking.get_status_display(), "start": blocking.start_date}
        )


def registration_submit(*, actor, registration) -> Registration:
    """Check completeness against the checklist and send for review (or approve at once)."""
    with transaction.atomic():
        registration = _lock(registration)
        _require_editable(registration)
        type_rule = _type_rule(registration)
        ruleset = policy.ruleset_by_id(registration.ruleset_id)
        _check_details(registration, type_rule, ruleset)
        records.require_complete(selectors.missing(registration))
        validity = rules.validity(
            type_rule, starts=registration.start_date, proof_valid_until=registration.proof_valid_until
        )
        # One submission per enrollee at a time: two drafts of one category submitted at once
        # would otherwise both pass the overlap check.
        User.objects.select_for_update().filter(pk=registration.enrollee_id).first()
        _check_overlap(registration, starts=validity.starts, ends=validity.ends)

        before = registration.status
        registration.submitted_at = timezone.now()
        registration.reduction_points = type_rule.reduction_points
        registration.return_reasons = []
        registration.status = RegistrationStatus.SUBMITTED
        registration.save()
        _event(registration, actor=actor, action=EventAction.SUBMITTED, from_status=before)
        if not type_rule.review_required:
            _approve(registration, actor=None, validity=validity, reason=_("Takes effect at once under the rules."))
        return registration


def _approve(registration, *, actor, validity: rules.Validity, reason: str = "") -> None:
    before = registration.status
    registration.status = RegistrationStatus.APPROVED
    registration.valid_from, registration.valid_until = validity.starts, validity.ends
    registration.decided_at, registration.decided_by = timezone.now(), actor
    registration.save()
    _event(
        registration,
        actor=actor,
        action=EventAction.APPROVED,
        from_status=before,
        reason=reason,
        valid_from=str(validity.starts),
        valid_until=str(validity.ends) if validity.ends else None,
    )
    if registration.supersedes_id is None:
        return
    # Re-read the old registration under its lock: it may have been cancelled meanwhile.
    old = Registration.objects.select_for_update(of=("self",)).get(pk=registration.supersedes_id)
    if old.status == RegistrationStatus.APPROVED:
        old_before = old.status
        old.status = RegistrationStatus.SUPERSEDED
        old.valid_until = max(old.valid_from or validity.starts, validity.starts - datetime.timedelta(days=1))
        old.save(update_fields=["status", "valid_until", "updated_at"])
        _event(
            old,
            actor=actor,
            action=EventAction.SUPERSEDED,
            from_status=old_before,
            successor=registration.number,
        )


def registration_decide(*, actor, registration, decision, reasons=(), note="", document_reviews=None) -> Registration:
    """A staff decision. `document_reviews` maps document uuid → (accept: bool, reason).

    Locks the row and checks the decider (cases.decisions): if someone else decided first the
    status is no longer `submitted` and a ConflictError (409) names who decided and when.
    """
    with transaction.atomic():
        registration = lock_for_decision(registration, actor=actor, expected=(RegistrationStatus.SUBMITTED,))
        reasons = [r.strip() for r in (reasons or []) if r and r.strip()]
        documents = {str(d.uuid): d for d in registration.documents.all()}
        reviews = document_reviews or {}
        unknown = sorted(set(reviews) - set(documents))
        if unknown:
            raise ServiceError(_("Unknown documents in the review: %(ids)s.") % {"ids": ", ".join(unknown)})

        now = timezone.now()
        rejected_documents = []
        for uuid, (accept, reason) in reviews.items():
            document = documents[uuid]
            if not accept and not (reason or "").strip():
                raise ServiceError(_("Say why a document needs replacing."), {"documents": [uuid]})
            document.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
            document.review_reason = "" if accept else reason.strip()
            document.reviewed_by, document.reviewed_at = actor, now
            document.save()
            if not accept:
                rejected_documents.append(
                    f"{selectors.kind_names(registration).get(document.kind, document.kind)}：{document.review_reason}"
                )

        before = registration.status
        if decision == Decision.APPROVE:
            if rejected_documents:
                raise ServiceError(_("A registration with documents to replace cannot be approved: return it instead."))
            for document in documents.values():
                if document.status == DocumentStatus.PENDING:
                    document.status, document.reviewed_by, document.reviewed_at = DocumentStatus.ACCEPTED, actor, now
                    document.save()
            type_rule = _type_rule(registration)
            validity = rules.validity(
                type_rule, starts=registration.start_date, proof_valid_until=registration.proof_valid_until
            )
            _approve(registration, actor=actor, validity=validity, reason=note)
        elif decision == Decision.RETURN:
            fixes = reasons + rejected_documents
            if not fixes:
                raise ServiceError(
                    _("List what the enrollee must fix: a reason or a document to replace."), {"reasons": []}
                )
            registration.status = RegistrationStatus.RETURNED
            registration.return_reasons = fixes
            registration.decided_at, registration.decided_by = now, actor
            registration.save()
            _event(registration, actor=actor, action=EventAction.RETURNED, from_status=before, reason=note, fixes=fixes)
        elif decision == Decision.REJECT:
            if not reasons:
                raise ServiceError(_("Give the reasons for rejecting."), {"reasons": [_("This field is required.")]})
            registration.status = RegistrationStatus.REJECTED
            registration.decided_at, registration.decided_by = now, actor
            registration.save()
            _event(
                registration,
                actor=actor,
                action=EventAction.REJECTED,
                from_status=before,
                reason="；".join(reasons) + (f"（{note}）" if note else ""),
                reasons=reasons,
            )
        else:
            raise ServiceError(_("Unknown decision “%(decision)s”.") % {"decision": decision}, {"decision": [decision]})
        return registration


def registration_cancel(*, actor, registration, effective_date: datetime.date | None = None, reason: str = ""):
    """Cancel a pending or active registration from a date (today by default)."""
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status not in CANCELLABLE_STATUSES:
            raise ConflictError(
                _("A registration that is “%(status)s” cannot be cancelled.")
                % {"status": registration.get_status_display()}
            )
        today = timezone.localdate()
        effective_date = effective_date or today
        if effective_date < today:
            raise ServiceError(
                _("A cancellation cannot take effect in the past."), {"effective_date": [_("Choose today or later.")]}
            )
        before = registration.status
        if before == RegistrationStatus.APPROVED:
            end = effective_date - datetime.timedelta(days=1)
            registration.valid_until = min(registration.valid_until, end) if registration.valid_until else end
        registration.status = RegistrationStatus.CANCELLED
        registration.cancel_effective_date = effective_date
        registration.save()
        _event(
            registration,
            actor=actor,
            action=EventAction.CANCELLED,
            from_status=before,
            reason=reason,
            effective_date=str(effective_date),
        )
        return registration


def registration_change(*, actor, registration, **changes) -> Registration:
    """File a change of an approved registration: a successor draft that supersedes it once approved."""
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status != RegistrationStatus.APPROVED:
            raise ConflictError(_("Only an approved registration can be changed; edit or cancel this one instead."))
        if (
            Registration.objects.filter(supersedes=registration)
            .exclude(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED])
            .exists()
        ):
            raise ConflictError(_("A change of this registration is already on file."))
        fields = {field: getattr(registration, field) for field in DETAIL_FIELDS}
        # The change applies from today unless another date is given: the old start may be
        # long past, and the old registration stays valid until the change is approved.
        fields["start_date"] = timezone.localdate()
        fields.update({k: v for k, v in changes.items() if k in DETAIL_FIELDS})
        successor = registration_create(
            actor=actor,
            enrollee=registration.enrollee,
            registration_type=changes.get("registration_type", registration.registration_type),
            care_scope=changes.get("care_scope", registration.care_scope),
            channel=changes.get("channel", registration.channel),
            **fields,
        )
        successor.supersedes = registration
        successor.save(update_fields=["supersedes", "updated_at"])
        _event(registration, actor=actor, action=EventAction.CHANGE_FILED, successor=successor.number)
        return successor


def registrations_expire(*, today: datetime.date | None = None) -> int:
    """Mark approved registrations whose validity has ended as expired (daily task)."""
    today = today or timezone.localdate()
    count = 0
    due = Registration.objects.filter(status=RegistrationStatus.APPROVED, valid_until__lt=today).values_list(
        "pk", flat=True
    )
    for pk in due.iterator(chunk_size=500):
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(pk=pk)
            if registration.status != RegistrationStatus.APPROVED or not registration.valid_until < today:
                continue  # changed since we listed it
            registration.status = RegistrationStatus.EXPIRED
            registration.save(update_fields=["status", "updated_at"])
            _event(registration, actor=None, action=EventAction.EXPIRED, from_status=RegistrationStatus.APPROVED)
            count += 1
    return count


def documents_purge_closed(*, closed_before: datetime.datetime) -> int:
    """Remove the documents of registrations closed before `closed_before` (retention task).

    The history stays, pseudonymous as it is: who did what and when, without the papers.
    """
    return purge_closed_documents(
        Registration,
        closed_statuses=CLOSED_STATUSES,
        closed_before=closed_before,
        record=lambda case, count: _event(case, actor=None, action=EventAction.DOCUMENTS_PURGED, count=count),
    )
