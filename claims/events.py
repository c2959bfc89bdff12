"""What happens to claims, announced to the apps above that react to it (notifications).

`claim_changed` is sent for every history row, inside the transaction of the change: a listener
that writes rows (the notification outbox) commits with the change or not at all, and anything
that leaves the process (a Celery task, an e-mail) waits for the commit.
"""

from django.dispatch import Signal

claim_changed = Signal()
"""Keyword arguments: `claim` (as saved) and `entry` (its new ClaimEvent)."""
