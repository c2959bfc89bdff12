"""Version tokens for what the portal keeps ready-made: the rule-set snapshots (policy.selectors).
A kept copy is used only while the token it was made under is still the current one.

Tokens live in the shared cache (Redis in production), so a change made by one process reaches
every other. They are random, not counters: after a cache flush (a Redis restart) a counter would
start again at a number that processes already hold copies for.

A change replaces its tokens twice (`bump`): at once, so the rest of its own transaction and
request see it, and again after commit, because a reader in another process may have read the
first new token and then the rows from before the commit. A reader always reads its tokens before
the rows, so a copy made from old rows is never kept under a token that is current after a commit.

While a request runs, each token is read once (the first time it is asked for) and remembered to
the end of the request, so a page asks Redis for its tokens in one or two round trips however many
parts of it ask: the request sees the tokens as they were when it began, and its own changes.
"""

import threading
import uuid

from django.core.cache import cache
from django.db import transaction

PREFIX = "version:"
# A token lives a week unless replaced sooner: past that a copy is simply made again. Long
# enough, short enough that nothing piles up in Redis.
TOKEN_SECONDS = 7 * 24 * 3600
_request = threading.local()  # .tokens: the tokens read during the current request (common.apps)


def request_started(**kwargs) -> None:
    _request.tokens = {}


def request_finished(**kwargs) -> None:
    _request.tokens = None


def current(*names: str, create: bool = True, remembered: bool = True) -> tuple[str | None, ...]:
    """The current token of each name, in one round trip to the cache (two when one is new); none
    for a name already read during this request (`remembered=False` reads again).

    With `create=False` a name without a token answers None and gets none: for names a caller
    chooses (an id in a URL, a token in a header), so that made-up names leave nothing in Redis.
    """
    tokens = getattr(_request, "tokens", None) if remembered else None
    tokens = {} if tokens is None else tokens
    missing = [name for name in dict.fromkeys(names) if name not in tokens]
    if missing:
        tokens.update(_read(missing, create=create))
    return tuple(tokens.get(name) for name in names)


def _read(names: list[str], *, create: bool) -> dict[str, str]:
    keys = {PREFIX + name: name for name in names}
    found = cache.get_many(keys)
    new = [key for key in keys if key not in found]
    if new and create:
        for key in new:
            cache.add(key, uuid.uuid4().hex, timeout=TOKEN_SECONDS)  # only the first process's token is kept
        found.update(cache.get_many(new))
        # A token evicted again at once is answered with a fresh one: nothing is kept under it twice.
        found.update({key: uuid.uuid4().hex for key in new if key not in found})
    return {name: found[key] for key, name in keys.items() if key in found}


def bump(*names: str) -> None:
    """New tokens for `names`, now and after the transaction commits.

    The first replacement is not best-effort: if Redis cannot take it, the change itself fails
    (a deactivation that kept copies would not see is worse than one refused). The one after
    commit can only be logged (Django's robust on_commit); copies then live at most the
    process cache's 600 s.
    """
    names = tuple(dict.fromkeys(name for name in names if name))
    if not names:
        return
    _replace(names)
    if transaction.get_connection().in_atomic_block:  # outside one, the change is already committed
        transaction.on_commit(lambda: _replace(names), robust=True)


def _replace(names) -> None:
    fresh = {name: uuid.uuid4().hex for name in names}
    cache.set_many({PREFIX + name: token for name, token in fresh.items()}, timeout=TOKEN_SECONDS)
    tokens = getattr(_request, "tokens", None)
    if tokens is not None:  # this request sees its own change
        tokens.update(fresh)
