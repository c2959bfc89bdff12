"""Writes of the policy: a new version of a jurisdiction's rules, copied from an existing one, and
its publication."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policy.models import MaterialGroup, RuleSet


def ruleset_new_version(*, source: RuleSet, effective_from: datetime.date, name: str) -> RuleSet:
    """Copy every row of `source` into a new rule set starting on `effective_from`.

    The old version is left as it is: its open end lasts until the new one starts, so cases
    dated before `effective_from` keep their rules. Admins then edit the copy, a draft that judges
    nothing until it is published (ruleset_publish).
    """
    with transaction.atomic():
        if effective_from <= source.effective_from:
            raise ValidationError(
                {
                    "effective_from": _("A new version starts after the one it copies: “%(name)s” starts on %(start)s.")
                    % {"name": source.name, "start": source.effective_from.isoformat()}
                }
            )
        new = RuleSet(
            jurisdiction=source.jurisdiction,
            name=name,
            effective_from=effective_from,
            effective_to=None,
            source=source.source,
            source_ref=source.source_ref,
            claim_deadline_month=source.claim_deadline_month,
            claim_deadline_day=source.claim_deadline_day,
            claim_extension_month=source.claim_extension_month,
            claim_extension_day=source.claim_extension_day,
            claim_extension_year_offset=source.claim_extension_year_offset,
            claim_window_source_ref=source.claim_window_source_ref,
        )
        new.full_clean()
        new.save()

        type_map = {}
        for registration_type in source.registration_types.all():
            old_id = registration_type.pk
            registration_type.pk = None
            registration_type.ruleset = new
            registration_type.save()
            type_map[old_id] = registration_type

        groups = MaterialGroup.objects.filter(ruleset=source).prefetch_related("options__document_kinds")
        for group in groups:
            options = list(group.options.all())
            group.pk = None
            group.ruleset = new
            group.registration_type = type_map.get(group.registration_type_id)
            group.save()
            for option in options:
                kinds = list(option.document_kinds.all())
                option.pk = None
                option._prefetched_objects_cache = {}  # else set() compares with the old option's kinds
                option.group = group
                option.save()
                option.document_kinds.set(kinds)

        for related in ("catalogue_rules", "settlement_scopes", "special_disease_rules", "benefit_rows"):
            for row in getattr(source, related).all():
                row.pk = None
                row.ruleset = new
                row.save()
        return new


def ruleset_publish(*, ruleset: RuleSet, backdated_ok: bool = False) -> RuleSet:
    """Put a draft version in force from its start date: from then on quotes and cases dated in
    its period are judged by it. Checked again first, as a whole: its period, and that it offers
    at least one registration type. A start date already past changes the deadlines and estimates
    of claims already filed for that period, so it takes an explicit yes (`backdated_ok`)."""
    with transaction.atomic():
        ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
        if ruleset.published:
            return ruleset
        ruleset.full_clean()
        today = timezone.localdate()
        if ruleset.effective_from < today and not backdated_ok:
            raise ValidationError(
                {
                    "effective_from": _(
                        "“%(name)s” starts on %(start)s, before today: claims and quotes dated from then on "
                        "would change. Confirm that this is intended."
                    )
                    % {"name": ruleset.name, "start": ruleset.effective_from.isoformat()}
                }
            )
        if not ruleset.registration_types.exists():
            raise ValidationError(
                {
                    "registration_types": _("“%(name)s” offers no registration type yet: add one before publishing.")
                    % {"name": ruleset.name}
                }
            )
        ruleset.published, ruleset.published_at = True, timezone.now()
        ruleset.save(update_fields=["published", "published_at", "updated_at"])
        return ruleset
