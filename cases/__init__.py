"""The shared case layer: what registrations and claims do and show the same way.

A registration and a claim are different cases with their own models, services and selectors,
but staff decide on both by one rule, and both show a timeline, a checklist of documents and
the service's errors on form fields the same way. That is written once, here. This package sits
between the case apps (registrations, claims, review above it) and accounts, policy, offices and
common below it; it knows neither kind of case by name.
"""
