"""Ten staff decide the same case at once on real PostgreSQL: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from common.errors import ConflictError
from registrations import services
from registrations.models import Registration, RegistrationEvent
from tests.conftest import make_enrollee, require
from tests.registrations.factories import make_registration
from tests.security.figures import report

THREADS = 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_decisions_have_exactly_one_winner(window_staff):
    require(connection.vendor == "postgresql", "row locks need PostgreSQL (DATABASE_URL)")
    enrollee = make_enrollee("32060219900101123X", name="张三", phone="13800000001")
    registration = make_registration(enrollee, submit=True)
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def decide(index):
        try:
            case = Registration.objects.get(pk=registration.pk)
            barrier.wait(timeout=10)
            decision = ["approve", "reject", "return"][index % 3]
            services.registration_decide(
                actor=window_staff, registration=case, decision=decision, reasons=[f"reason {index}"]
            )
            outcomes.append(("won", decision))
        except ConflictError:
            outcomes.append(("conflict", None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [decision for outcome, decision in outcomes if outcome == "won"]
    report(
        "reviewers' race", f"{THREADS} reviewers, {len(winners)} winner, {outcomes.count(('conflict', None))} conflicts"
    )
    assert len(outcomes) == THREADS
    assert len(winners) == 1
    final = Registration.objects.get(pk=registration.pk)
    decided = RegistrationEvent.objects.filter(registration=final, action__in=["approved", "rejected", "returned"])
    assert decided.count() == 1
    assert final.status == {"approve": "approved", "reject": "rejected", "return": "returned"}[winners[0]]
