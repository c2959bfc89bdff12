"""The reminder sweep: which deadlines are near, for whom, and which reminder of each is due now.

It reads the database (not the queue), so a day the worker missed is caught up on its next run,
and it files reminders through notifications.services.file_many, whose unique keys make a second
or concurrent sweep a no-op. It walks each query in keyset-paged chunks: memory stays flat.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from claims import selectors as claim_selectors
from notifications import services
from notifications.constants import Kind
from notifications.models import Notification, ReminderOffset
from offices import selectors as office_selectors
from policy import rules
from policy import selectors as policy
from policy.constants import Category
from registrations import selectors as registration_selectors

CHUNK = 2000


def offsets() -> dict[str, list[int]]:
    by_kind: dict[str, list[int]] = {}
    for kind, days in ReminderOffset.objects.filter(active=True).values_list("kind", "days_before"):
        by_kind.setdefault(kind, []).append(days)
    return by_kind


def due_offset(deadline: datetime.date, today: datetime.date, days_before: list[int]) -> int | None:
    """The reminder due now: the nearest offset whose day has come, while the deadline has not passed.

    After an outage only that one is sent, not every one that was missed.
    """
    if not days_before or today > deadline:
        return None
    come = [days for days in days_before if deadline - datetime.timedelta(days=days) <= today]
    return min(come) if come else None


def chunks(rows: QuerySet, *fields) -> Iterator[list[dict]]:
    """Keyset paging by primary key: each chunk is one indexed query of at most CHUNK rows."""
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["pk"]


@dataclass(frozen=True)
class Due:
    """A reminder due now, before its words: those are written only if it was not filed yet."""

    key: str
    kind: str
    deadline: datetime.date
    row: dict
    write: Callable[["Due"], Notification]

    @property
    def language(self) -> str:
        return self.row["enrollee__preferred_language"] or settings.LANGUAGE_CODE


def _notification(due: Due, *, title, body, link) -> Notification:
    return Notification(
        recipient_id=due.row["enrollee_id"],
        kind=due.kind,
        dedupe_key=due.key,
        subject_number=due.row["number"],
        due_date=due.deadline,
        title=title,
        body=body,
        link=link,
    )


# --- Claim windows ---------------------------------------------------------------------------


def _claim_reminder(due: Due) -> Notification:
    row, kind, deadline = due.row, due.kind, due.deadline
    if kind == Kind.CLAIM_WINDOW:
        title = _("Claim %(number)s: submit by %(deadline)s") % {"number": row["number"], "deadline": deadline}
        body = _(
            "Your claim %(number)s has not been submitted yet. Costs of a year must be claimed by 31 December: "
            "submit it by %(deadline)s, or the fund's share is lost."
        ) % {"number": row["number"], "deadline": deadline}
    else:
        title = _("Claim %(number)s: last day for a late claim is %(deadline)s") % {
            "number": row["number"],
            "deadline": deadline,
        }
        body = _(
            "Your claim %(number)s has costs of last year. In special cases, with a reason the office accepts, "
            "it can be submitted until %(deadline)s."
        ) % {"number": row["number"], "deadline": deadline}
    return _notification(due, title=title, body=body, link=f"/claims/{row['uuid']}/")


def _periods(jurisdiction_code: str, year: int) -> Iterator[tuple[datetime.date, datetime.date, object]]:
    """(first day, last day, rule set) of each rule version in force during `year`.

    An invoice keeps the deadline of the rules of its own date, as on the claim page.
    """
    versions = policy.rulesets_of(jurisdiction_code)
    for index, version in enumerate(versions):
        ends = [datetime.date(year, 12, 31)]
        if version.effective_to:
            ends.append(version.effective_to)
        if index + 1 < len(versions):
            ends.append(versions[index + 1].effective_from - datetime.timedelta(days=1))
        first, last = max(version.effective_from, datetime.date(year, 1, 1)), min(ends)
        if first <= last:
            yield first, last, version


def claim_window_batches(today: datetime.date) -> Iterator[list[Due]]:
    """Unsubmitted claims (drafts, returned) with costs of a year whose window is closing."""
    days = offsets()
    for jurisdiction in office_selectors.jurisdiction_list():
        for year, kind in ((today.year, Kind.CLAIM_WINDOW), (today.year - 1, Kind.CLAIM_WINDOW_EXTENDED)):
            for first, last, version in _periods(jurisdiction.code, year):
                deadline, extended = rules.claim_deadlines(version, first)
                closing = deadline if kind == Kind.CLAIM_WINDOW else extended
                offset = due_offset(closing, today, days.get(kind, [])) if closing else None
                if offset is None:
                    continue
                claims = claim_selectors.claims_unsubmitted_with_costs_between(
                    jurisdiction_id=jurisdiction.pk, first=first, last=last
                )
                for chunk in chunks(claims, "uuid", "number", "enrollee_id", "enrollee__preferred_language"):
                    yield [
                        Due(f"{kind}:claim:{row['pk']}:{closing}:{offset}", kind, closing, row, _claim_reminder)
                        for row in chunk
                    ]


# --- Registrations ending ----------------------------------------------------------------------


def _registration_reminder(due: Due) -> Notification:
    row, deadline = due.row, due.deadline
    if due.kind == Kind.TEMPORARY_EXPIRY:
        title = _("Registration %(number)s ends on %(date)s") % {"number": row["number"], "date": deadline}
        body = _(
            "Your registration %(number)s is in force until %(date)s. If you still need care there after that, "
            "file a new registration before then, so the bills can still be settled directly."
        ) % {"number": row["number"], "date": deadline}
    else:
        title = _("Registration %(number)s: your proof expires on %(date)s") % {
            "number": row["number"],
            "date": deadline,
        }
        body = _(
            "The proof your long-term registration %(number)s rests on (residence permit, resettlement or work "
            "certificate) is valid until %(date)s. Renew the proof and file the change with the new one before "
            "then, or the registration ends on that day."
        ) % {"number": row["number"], "date": deadline}
    return _notification(due, title=title, body=body, link=f"/registrations/{row['uuid']}/")


def registration_expiry_batches(today: datetime.date) -> Iterator[list[Due]]:
    days = offsets()
    for kind, category in ((Kind.TEMPORARY_EXPIRY, Category.TEMPORARY), (Kind.LONG_TERM_EXPIRY, Category.LONG_TERM)):
        if not days.get(kind):
            continue
        window_end = today + datetime.timedelta(days=max(days[kind]))
        ending = registration_selectors.registrations_ending_between(category=category, first=today, last=window_end)
        for chunk in chunks(ending, "uuid", "number", "enrollee_id", "enrollee__preferred_language", "valid_until"):
            batch = []
            for row in chunk:
                ends = row["valid_until"]
                offset = due_offset(ends, today, days[kind])
                if offset is not None:
                    key = f"{kind}:registration:{row['pk']}:{ends}:{offset}"
                    batch.append(Due(key, kind, ends, row, _registration_reminder))
            yield batch


def sweep(today: datetime.date, *, send) -> dict[str, int]:
    """File every reminder due on `today`; `send(ids)` gets each chunk's new deliveries."""
    counts = {"notifications": 0, "deliveries": 0}
    for batches in (claim_window_batches(today), registration_expiry_batches(today)):
        for batch in batches:
            # Most of a later run's reminders were filed by an earlier one: one lookup skips them.
            filed = set(
                Notification.objects.filter(dedupe_key__in=[due.key for due in batch]).values_list(
                    "dedupe_key", flat=True
                )
            )
            by_language = defaultdict(list)
            for due in batch:
                if due.key not in filed:
                    by_language[due.language].append(due)
            notifications = []
            for language, dues in by_language.items():
                with translation.override(language):  # once per language, not per person
                    notifications += [due.write(due) for due in dues]
            if not notifications:
                continue
            with transaction.atomic():  # a chunk's reminders and their deliveries, or neither
                delivery_ids = services.file_many(notifications)
            counts["notifications"] += len(notifications)
            counts["deliveries"] += len(delivery_ids)
            if delivery_ids:
                send(delivery_ids)
    return counts
