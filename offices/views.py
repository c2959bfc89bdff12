from django.shortcuts import render
from django.views.decorators.http import require_GET

from offices import selectors


@require_GET
def office_list(request):
    return render(request, "offices/office_list.html", {"jurisdictions": selectors.jurisdictions_with_offices()})
