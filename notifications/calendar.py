"""A person's deadlines as an iCalendar feed: claim windows of unsubmitted claims, registrations ending."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from claims import selectors as claim_selectors
from notifications.services import language_of
from registrations import selectors as registration_selectors


def _event(uid: str, day: datetime.date, summary: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@yidi-jiuyi")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", datetime.timedelta(days=-7))
    event.add_component(alarm)
    return event


def feed(user) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//异地就医 service portal//deadlines//ZH")
    calendar.add("version", "2.0")
    with translation.override(language_of(user)):
        calendar.add("x-wr-calname", _("异地就医 deadlines"))
        today = timezone.localdate()
        for claim in claim_selectors.claims_unsubmitted_of(user):
            windows = [w for w in claim_selectors.expense_windows(claim).values() if w.deadline]
            if not windows:
                continue
            first = min(windows, key=lambda w: w.deadline)
            url = f"{settings.PORTAL_URL}/claims/{claim.uuid}/"
            if today <= first.deadline or not first.extended:
                summary = _("Last day to submit claim %(number)s") % {"number": claim.number}
                calendar.add_component(_event(f"claim-{claim.uuid}", first.deadline, summary, url))
            elif today <= first.extended:  # past 31 December: the late-claim date is the one left
                summary = _("Last day for a late claim %(number)s (with a reason)") % {"number": claim.number}
                calendar.add_component(_event(f"claim-{claim.uuid}-late", first.extended, summary, url))
        for registration in registration_selectors.registrations_ending_of(user):
            calendar.add_component(
                _event(
                    f"registration-{registration.uuid}",
                    registration.valid_until,
                    _("Registration %(number)s ends") % {"number": registration.number},
                    f"{settings.PORTAL_URL}/registrations/{registration.uuid}/",
                )
            )
    return calendar.to_ical()
