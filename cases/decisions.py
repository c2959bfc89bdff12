"""One decision path for both kinds of case: who may decide, and the lock that makes two
decisions on one case come out as exactly one winner.

A decision locks the case's row (SELECT … FOR UPDATE) and only then reads its status: of two
staff deciding at the same moment, the second waits for the first's commit, then finds the status
no longer the one it expected and gets a ConflictError (409) that says who decided and when.
Nothing is written for the loser.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as account_selectors
from accounts.constants import Role
from common.errors import ConflictError, NotAllowedError


def require_decider(actor, case) -> None:
    """Only window staff of the case's office, and admins, decide on a case (any kind).

    The pages and the API already show another office's case as a 404; this is the rule itself,
    so a service called from anywhere (a task, the shell, a future page) keeps it too.
    """
    if actor.role == Role.ADMIN:
        return
    if actor.role == Role.STAFF and case.office_id in account_selectors.office_ids_of(actor):
        return
    raise NotAllowedError(
        _("Only staff of the enrollee's office decide on this %(case)s.") % {"case": case._meta.verbose_name}
    )


def lock_for_decision(case, *, actor, expected):
    """The case re-read under its row lock, once `actor` may decide on it and its status is one of
    `expected`; else NotAllowedError (403) or ConflictError (409), and nothing changes."""
    model = type(case)
    locked = (
        model.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "office", "decided_by")
        .get(pk=case.pk)
    )
    require_decider(actor, locked)
    if locked.status not in expected:
        raise ConflictError(_already_decided(locked))
    return locked


def _already_decided(case) -> str:
    noun, status = case._meta.verbose_name, case.get_status_display()
    if case.decided_at is None:
        return _("This %(case)s is “%(status)s”: there is nothing to decide.") % {"case": noun, "status": status}
    who = case.decided_by.get_full_name() or case.decided_by.username if case.decided_by else "—"
    return _("This %(case)s was already decided (%(status)s by %(who)s at %(at)s).") % {
        "case": noun,
        "status": status,
        "who": who,
        "at": timezone.localtime(case.decided_at).strftime("%Y-%m-%d %H:%M"),
    }
