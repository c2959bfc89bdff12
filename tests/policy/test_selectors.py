"""The rules' version (policy.selectors.policy_version) as the threads of one process see it: a
transaction's own change at once, the other threads only once it is committed, and then at once."""

import threading

import pytest
from django.utils import timezone

from policy import selectors
from policy.models import RegistrationType

pytestmark = pytest.mark.django_db


def change_the_rules() -> None:
    kind = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code="referral")
    kind.reduction_points = 12
    kind.save()


def in_another_thread(function):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(function()))
    thread.start()
    thread.join()
    return seen[0]


def reads_as(monkeypatch, others: dict) -> None:
    """This thread reads the database; the others (their own connections) read `others["token"]`."""
    real_read, me = selectors._read_version, threading.current_thread()
    monkeypatch.setattr(
        selectors, "_read_version", lambda: real_read() if threading.current_thread() is me else others["token"]
    )


def test_an_uncommitted_change_is_not_shared_with_the_other_threads(monkeypatch):
    committed = selectors.policy_version()
    reads_as(monkeypatch, {"token": committed})
    change_the_rules()  # in the test's transaction: not committed
    assert selectors.policy_version() != committed
    assert in_another_thread(selectors.policy_version) == committed


def test_a_commit_reaches_the_other_threads_at_once(monkeypatch, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(timezone.now(), tick=False)  # within the second a version is remembered
    others = {"token": selectors.policy_version()}
    reads_as(monkeypatch, others)
    with django_capture_on_commit_callbacks(execute=True):
        change_the_rules()
        before = in_another_thread(selectors.policy_version)  # remembered by the process until…
    others["token"] = selectors.policy_version()  # …the commit, after which every connection reads the new one
    assert in_another_thread(selectors.policy_version) == others["token"] != before


def test_a_version_read_while_this_process_commits_is_not_remembered(monkeypatch):
    reads = iter(["read-before-the-commit", "read-after-the-commit"])

    def read_while_committing():
        token = next(reads)
        if token == "read-before-the-commit":
            selectors._committed()  # another thread's commit lands while this read is on its way
        return token

    monkeypatch.setattr(selectors, "_read_version", read_while_committing)
    assert selectors.policy_version() == "read-before-the-commit"
    assert selectors.policy_version() == "read-after-the-commit"
