"""Steps the person's case pages take alike for both kinds of case: adding, downloading and
taking back a document. The case app passes its selectors, services and own page; the rest is
the same."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.forms import DocumentUploadForm, add_service_error
from cases.pages import document_names
from common.downloads import document_response
from common.errors import ConflictError, ServiceError


def detail_url(namespace: str, case, anchor: str = "") -> str:
    url = reverse(f"{namespace}:detail", args=[case.uuid])
    return f"{url}#{anchor}" if anchor else url


def moved_on(request, namespace: str, case, error):
    """Someone (another tab, the office) moved the case on: say so on the case as it is now."""
    messages.error(request, error.message)
    return redirect(detail_url(namespace, case))


def document_upload(request, case, *, namespace: str, add, groups, render_detail):
    """Store one uploaded document with `add(actor=, kind=, uploaded_file=)`; a refusal goes back
    on the form next to its document kind, with the page as it was."""
    kind = request.POST.get("kind", "")
    form = DocumentUploadForm(request.POST, request.FILES, kind=kind, kind_name=document_names(groups).get(kind, kind))
    status = 400
    if form.is_valid():
        try:
            add(actor=request.user, kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"])
        except ConflictError as error:
            return moved_on(request, namespace, case, error)
        except ServiceError as error:
            status = error.status_code
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” uploaded.") % {"name": form.cleaned_data["file"].name})
            return redirect(detail_url(namespace, case, f"kind-{kind}"))
    return render_detail(request, case, status=status, failed_upload=form)


def document_remove(request, case, document, *, namespace: str, remove):
    try:
        remove(actor=request.user, document=document)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": document.original_name})
    return redirect(detail_url(namespace, case, f"kind-{document.kind}"))


def document_views(*, namespace: str, case_field: str, get_case, get_document, add, remove, checklist, render_detail):
    """The person's three document pages of one kind of case: upload, download, take back.

    `get_case(user, uuid)` and `get_document(user, uuid, document_uuid, party_only=True)` are the
    app's scoped selectors (another person's case is a 404); `add(actor=, case=, kind=,
    uploaded_file=)` and `remove(actor=, document=)` its services.
    """

    @login_required
    @require_POST
    def upload(request, uuid):
        case = get_case(request.user, uuid)

        def add_to_case(**document):
            add(case=case, **document)

        groups = checklist(case)
        return document_upload(
            request, case, namespace=namespace, add=add_to_case, groups=groups, render_detail=render_detail
        )

    @login_required
    @require_GET
    def download(request, uuid, document_uuid):
        document = get_document(request.user, uuid, document_uuid, party_only=True)
        return document_response(document, viewer=request.user, case_number=getattr(document, case_field).number)

    @login_required
    @require_POST
    def take_back(request, uuid, document_uuid):
        document = get_document(request.user, uuid, document_uuid, party_only=True)
        return document_remove(request, getattr(document, case_field), document, namespace=namespace, remove=remove)

    return upload, download, take_back
