"""The API's rate limits: fixed windows of the clock, counted per process and added to the shared
counts in batches (common.throttling)."""

import pytest

from common.throttling import WindowCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(time_machine):
    time_machine.move_to("2026-12-28 10:00:05+08:00", tick=False)
    return time_machine


def test_one_process_counts_every_call_exactly(clock):
    process = WindowCounter()
    assert [process.hit("client-a", 60)[0] for _ in range(4)] == [1, 2, 3, 4]
    assert process.hit("client-b", 60)[0] == 1  # each client its own count


def test_processes_see_each_others_calls_after_a_flush(clock):
    first, second = WindowCounter(), WindowCounter()
    for _ in range(3):
        first.hit("client-a", 60)
    assert second.hit("client-a", 60)[0] == 1  # not flushed yet: the second knows only its own
    first.flush()
    second.flush()
    assert second.hit("client-a", 60)[0] == 5  # 3 + 1 from the shared count, + this one
    second.flush()
    assert first.hit("client-a", 60)[0] == 4  # the first learns the total with its next flush
    first.flush()
    assert first.hit("client-a", 60)[0] == 7  # 6 shared, + this one


def test_a_window_ends_with_the_clock_and_says_how_long_is_left(clock):
    process = WindowCounter()
    calls, left = process.hit("client-a", 60)
    assert (calls, left) == (1, 55)
    clock.shift(56)  # 10:01:01, a new window
    process.flush()
    assert process.hit("client-a", 60) == (1, 59)


def test_calls_being_flushed_still_count_for_the_other_threads(clock, monkeypatch):
    """While one thread waits for Redis, the calls it is adding stay in this process's count."""
    from common import throttling

    process = WindowCounter()
    for _ in range(3):
        process.hit("client-a", 60)
    seen = []
    real = throttling.add_to_counters

    def slow_redis(cache, additions):
        seen.append(process.hit("client-a", 60)[0])  # another thread's call, during the flush
        return real(cache, additions)

    monkeypatch.setattr(throttling, "add_to_counters", slow_redis)
    process.flush()
    assert seen == [4]
