"""Reads of the policy: the rule set in force, kept in process, and the quote.

The snapshots of every rule set are built once per process and kept until a change of the rules
replaces their version (models.PolicyVersion, a row in the database), so a warm quote touches no
database at all. Other apps ask questions here with plain values.
"""

import datetime
import threading
import time
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policy import rules, snapshot
from policy.models import PolicyVersion

VERSION_MEMO_SECONDS = 1.0
_memo: dict = {"version": None, "until": 0.0, "generation": 0}
_lock = threading.Lock()
_loaded: dict = {"version": None, "snapshots": None}
_own_change = threading.local()  # .pending: this thread changed the rules in a transaction not yet committed


def policy_version() -> str:
    """The token of the rules' current version (models.PolicyVersion).

    Each process re-reads it at most once a second (VERSION_MEMO_SECONDS): a quote or a page row
    then costs no query, and a change published elsewhere reaches this process within that second.
    Rule-set versions are published ahead of the date they take effect, and this process sees its
    own changes at once (invalidate).

    A thread whose transaction has changed the rules reads its own, uncommitted, token every time
    and never shares it: until the commit the other threads see the old rows, and must keep what
    they build from them under the old token.
    """
    if getattr(_own_change, "pending", False):
        if transaction.get_connection().in_atomic_block:
            return _read_version()
        _own_change.pending = False  # rolled back: a commit clears it first (_committed)
    now = time.time()
    if _memo["version"] is None or now >= _memo["until"]:
        generation = _memo["generation"]
        version = _read_version()
        if generation == _memo["generation"]:  # not forgotten meanwhile by a commit of this process
            _memo["version"], _memo["until"] = version, now + VERSION_MEMO_SECONDS
        return version
    return _memo["version"]


def _read_version() -> str:
    # The row is made by a migration; a database emptied by a test's flush gets it back here.
    return PolicyVersion.objects.get_or_create(pk=1, defaults=_fresh())[0].token


def _fresh() -> dict:
    return {"token": uuid.uuid4().hex, "changed_at": timezone.now()}


def invalidate() -> None:
    """Called on every change of a policy row (policy.signals), in the change's transaction: a new
    version, which commits or rolls back with the change, and which this process sees at once."""
    PolicyVersion.objects.update_or_create(pk=1, defaults=_fresh())
    _forget()
    if transaction.get_connection().in_atomic_block:
        _own_change.pending = True
        transaction.on_commit(_committed, robust=True)


def _committed() -> None:
    _own_change.pending = False
    _forget()


def _forget() -> None:
    _memo["version"] = None
    _memo["generation"] += 1
    _loaded["snapshots"] = None


def forget() -> None:
    """Read the version again on the next call (the tests' fresh start: each test's changes roll back)."""
    _own_change.pending = False
    _forget()


def all_rulesets() -> list[rules.RuleSetSnapshot]:
    version = policy_version()
    with _lock:
        if _loaded["snapshots"] is None or _loaded["version"] != version:
            _loaded["snapshots"] = snapshot.build_all()
            _loaded["version"] = version
        return _loaded["snapshots"]


def ruleset_for(jurisdiction: str, on: datetime.date | None = None) -> rules.RuleSetSnapshot:
    return rules.ruleset_in_force(all_rulesets(), jurisdiction, on or timezone.localdate())


def rulesets_of(jurisdiction: str) -> list[rules.RuleSetSnapshot]:
    return sorted((s for s in all_rulesets() if s.jurisdiction == jurisdiction), key=lambda s: s.effective_from)


def ruleset_by_id(ruleset_id: int) -> rules.RuleSetSnapshot | None:
    return next((s for s in all_rulesets() if s.id == ruleset_id), None)


def material_json(groups) -> list[dict]:
    """Material groups as the API shows them: names in both languages, any one alternative of each."""
    return [
        {
            "code": group.code,
            "name_zh": group.name_zh,
            "name_en": group.name_en,
            "alternatives": [
                {
                    "code": option.code,
                    "name_zh": option.name_zh,
                    "name_en": option.name_en,
                    "documents": [
                        {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en} for d in option.documents
                    ],
                }
                for option in group.options
            ],
        }
        for group in groups
    ]


def _lookup_json(ruleset: rules.RuleSetSnapshot, care_scope: str) -> dict | None:
    lookup = ruleset.institution_lookup.get(care_scope)
    return {"name": lookup[0], "url": lookup[1]} if lookup else None


def registration_type_list(jurisdiction: str, on: datetime.date | None = None) -> tuple:
    """The types a jurisdiction offers on a date, with their materials: (snapshot, [dict])."""
    try:
        ruleset = ruleset_for(jurisdiction, on)
    except rules.PolicyError as error:
        if error.field == "on_date":  # this endpoint calls the date `on`
            raise rules.PolicyError("on", error.message) from None
        raise
    types = [
        {
            "code": t.code,
            "category": t.category,
            "name_zh": t.name_zh,
            "name_en": t.name_en,
            "description_zh": t.description_zh,
            "description_en": t.description_en,
            "validity_rule": t.validity_rule,
            "validity_months": t.validity_months,
            "reduction_points": t.reduction_points,
            "filing_required": t.filing_required,
            "review_required": t.review_required,
            "required_materials": material_json(rules.registration_materials(ruleset, t.code)),
            "channels": list(t.channels),
        }
        for t in ruleset.types
    ]
    return ruleset, types


def quote(
    *,
    jurisdiction: str,
    registration_type: str,
    care_scope: str,
    on_date: datetime.date | None = None,
    proof_valid_until: datetime.date | None = None,
    expense_date: datetime.date | None = None,
    special_disease: str | None = None,
    institution_level: int | None = None,
    institution_dialysis_qualified: bool | None = None,
    claim_kind: str | None = None,
    treatment: str | None = None,
    agent: bool = False,
    care_province: str = "",
    under: rules.RuleSetSnapshot | None = None,
) -> dict:
    """What applies to a case (API.md POST /policy/quote/); PolicyError names a wrong field.

    `under` answers by one given rule set instead of the one in force: the admin's preview of a
    draft version before it is published."""
    on_date = on_date or timezone.localdate()
    ruleset = under or ruleset_for(jurisdiction, on_date)
    type_rule = rules.registration_type(ruleset, registration_type)
    valid = rules.validity(type_rule, starts=on_date, proof_valid_until=proof_valid_until)
    if treatment and not claim_kind:
        raise rules.PolicyError("treatment", _("A treatment only matters for a claim: give claim_kind too."))
    deadline, extended = rules.claim_deadlines(ruleset, expense_date or on_date)

    special = None
    if special_disease:
        check = rules.special_disease_check(
            ruleset,
            special_disease,
            institution_level=institution_level,
            dialysis_qualified=institution_dialysis_qualified,
        )
        special = {"allowed": check.allowed, "reason": check.reason}

    answer = {
        "jurisdiction": ruleset.jurisdiction,
        "ruleset": {
            "id": ruleset.id,
            "name": ruleset.name,
            "effective_from": ruleset.effective_from,
            "source": ruleset.source,
        },
        "registration_type": {
            "code": type_rule.code,
            "category": type_rule.category,
            "name_zh": type_rule.name_zh,
            "name_en": type_rule.name_en,
        },
        "reduction_points": rules.reduction_points(type_rule),
        "validity": {"starts": valid.starts, "ends": valid.ends, "rule": valid.rule},
        "filing_required": type_rule.filing_required,
        "review_required": type_rule.review_required,
        "channels": list(type_rule.channels),
        "mail_forms": type_rule.mail_forms,
        "catalogue": rules.catalogue(ruleset, care_scope),
        "institution_lookup": _lookup_json(ruleset, care_scope),
        "direct_settlement": list(rules.direct_settlement_services(ruleset, care_scope, care_province)),
        "claim_deadline": deadline,
        "claim_deadline_extended": extended,
        "required_materials": material_json(rules.registration_materials(ruleset, type_rule.code, agent=agent)),
        "special_disease": special,
    }
    if claim_kind:
        answer["claim_materials"] = material_json(
            rules.claim_materials(ruleset, claim_kind, treatment=treatment, agent=agent)
        )
    return answer
