"""Steps the person's case pages take alike for both kinds of case: adding, downloading and
taking back a document. The case app passes its selectors, services and own page; the rest is
the same."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
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


@dataclass(frozen=True)
class CasePages:
    """The person's pages of one kind of case that work the same: the case itself, and uploading,
    downloading and taking back a document.

    `get_case(user, uuid)` is the app's scoped selector for the person's own case (another
    person's is a 404), `checklist(case)` its material groups, `context(request, case, **parts)`
    what its page shows besides the shared parts; views() takes the app's services
    `add(actor=, case=, kind=, uploaded_file=)` and `remove(actor=, document=)`.
    """

    namespace: str
    get_case: Callable
    checklist: Callable
    template: str
    context: Callable

    def render(self, request, case, *, status=200, **parts):
        """The case page, with a form that failed or a refusal (`parts`) where they belong."""
        upload_url = reverse(f"{self.namespace}:document_upload", args=[case.uuid])
        context = {**self.context(request, case, **parts), "upload_url": upload_url}
        return render(request, self.template, context, status=status)

    def _document(self, request, uuid, document_uuid):
        case = self.get_case(request.user, uuid)
        for document in case.documents.all():
            if str(document.uuid) == str(document_uuid):
                return case, document
        raise Http404

    def views(self, add, remove):
        """(detail, upload, download, take back) view functions."""

        @login_required
        @require_GET
        def detail(request, uuid):
            return self.render(request, self.get_case(request.user, uuid))

        @login_required
        @require_POST
        def upload(request, uuid):
            case = self.get_case(request.user, uuid)

            def add_to_case(**document):
                add(case=case, **document)

            groups = self.checklist(case)
            return document_upload(
                request, case, namespace=self.namespace, add=add_to_case, groups=groups, render_detail=self.render
            )

        @login_required
        @require_GET
        def download(request, uuid, document_uuid):
            case, document = self._document(request, uuid, document_uuid)
            return document_response(document, viewer=request.user, case_number=case.number)

        @login_required
        @require_POST
        def take_back(request, uuid, document_uuid):
            case, document = self._document(request, uuid, document_uuid)
            return document_remove(request, case, document, namespace=self.namespace, remove=remove)

        return detail, upload, download, take_back


def case_urls(views, *, list, new, detail) -> list:
    """The routes every kind of case has for the person: its list, a new one, one case and its
    documents (`views` is the app's views module, with the document views of CasePages)."""
    return [
        path("", list, name="list"),
        path("new/", new, name="new"),
        path("<uuid:uuid>/", detail, name="detail"),
        path("<uuid:uuid>/documents/", views.document_upload, name="document_upload"),
        path("<uuid:uuid>/documents/<uuid:document_uuid>/", views.document_download, name="document_download"),
        path("<uuid:uuid>/documents/<uuid:document_uuid>/remove/", views.document_remove, name="document_remove"),
    ]
