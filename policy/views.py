"""Public policy pages: thin views over policy.pages (which reads the cached rule sets)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from policy import pages, selectors
from policy.forms import ChangesForm, WizardForm
from policy.rules import PolicyError

# PolicyError names the rule functions' argument; the form calls it differently.
WIZARD_FIELDS = {"on_date": "on", "jurisdiction": "jurisdiction"}


@require_GET
def wizard(request):
    user = request.user
    enrollee = user.is_authenticated and user.is_enrollee
    form = WizardForm(request.GET or None)
    own = next((code for code, j in form.jurisdictions.items() if enrollee and j.pk == user.jurisdiction_id), None)
    if own and not form.is_bound:
        form.initial["jurisdiction"] = own  # the account knows where the person is insured
    result = None
    if form.is_valid():
        try:
            result = pages.wizard_result(**form.cleaned_data)
        except PolicyError as error:
            form.add_error(WIZARD_FIELDS.get(error.field), error.message)
    # The answer leads on to the filing, for a visitor (who logs in first) or an enrollee insured
    # there: the filing is always under the person's own region's rules.
    may_file = result is not None and (not user.is_authenticated or own == result.jurisdiction.code)
    return render(request, "policy/wizard.html", {"form": form, "result": result, "may_file": may_file})


@require_GET
def index(request):
    today = timezone.localdate()
    return render(request, "policy/index.html", {"jurisdictions": pages.jurisdiction_versions(today), "today": today})


def _jurisdiction_or_404(code: str):
    jurisdiction = pages.jurisdiction_get(code)
    if jurisdiction is None:
        raise Http404
    return jurisdiction


@require_GET
def current(request, jurisdiction):
    jurisdiction = _jurisdiction_or_404(jurisdiction)
    today = timezone.localdate()
    overview, error = None, None
    try:
        overview = pages.policy_overview(jurisdiction.code, today)
    except PolicyError as policy_error:
        error = policy_error.message
    context = {
        "jurisdiction": jurisdiction,
        "overview": overview,
        "error": error,
        "today": today,
        "versions": pages.versions_of(jurisdiction.code, today),
        "offices": pages.office_contacts(jurisdiction.code) if overview and not overview.claim_deadline else (),
    }
    return render(request, "policy/current.html", context)


@require_GET
def changes(request, jurisdiction):
    jurisdiction = _jurisdiction_or_404(jurisdiction)
    versions = selectors.rulesets_of(jurisdiction.code)
    default_pair = pages.default_pair(versions)
    form, page = None, None
    if default_pair:
        form = ChangesForm({"from": default_pair[0], "to": default_pair[1], **request.GET.dict()}, versions=versions)
        if form.is_valid():
            page = pages.ruleset_changes(
                selectors.ruleset_by_id(form.cleaned_data["from"]),
                selectors.ruleset_by_id(form.cleaned_data["to"]),
                on=timezone.localdate(),
            )
    context = {"jurisdiction": jurisdiction, "versions": versions, "form": form, "page": page}
    return render(request, "policy/changes.html", context)
