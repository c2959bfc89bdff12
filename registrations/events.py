"""What happens to registrations, announced to the apps above that react to it (notifications).

`registration_changed` is sent for every history row, inside the transaction of the change: a
listener that writes rows (the notification outbox) commits with the change or not at all, and
anything that leaves the process (a Celery task, an e-mail) waits for the commit. So this app
names no app above it, and a new listener needs no change here.
"""

from django.dispatch import Signal

registration_changed = Signal()
"""Keyword arguments: `registration` (as saved) and `entry` (its new RegistrationEvent)."""
