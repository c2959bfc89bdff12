from django.db.models import Prefetch, QuerySet

from offices.models import Jurisdiction, Office, OfficePhone


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.order_by("-effective_from", "code")


def office_list(*, jurisdiction: str | None = None) -> QuerySet[Office]:
    offices = Office.objects.select_related("jurisdiction").prefetch_related(
        Prefetch("phones", queryset=OfficePhone.objects.order_by("position", "id"))
    )
    if jurisdiction:
        offices = offices.filter(jurisdiction__code=jurisdiction)
    return offices.order_by("-jurisdiction__effective_from", "jurisdiction__code", "position", "code")


def jurisdictions_with_offices() -> list[Jurisdiction]:
    """Each jurisdiction with its offices (and their phones) attached, newest source first."""
    jurisdictions = list(jurisdiction_list())
    by_id = {j.id: j for j in jurisdictions}
    for j in jurisdictions:
        j.office_rows = []
    for office in office_list():
        by_id[office.jurisdiction_id].office_rows.append(office)
    return jurisdictions


def help_line(office_id: int | None) -> list[dict]:
    """Whom to call, for the elderly-friendly mode's line on every page: the person's own office,
    or, for someone not logged in, each region's hotlines."""
    if office_id is not None:
        office = Office.objects.select_related("jurisdiction").prefetch_related("phones").filter(pk=office_id).first()
        if office is not None:
            name = office.name  # "市区" alone says not which city
            if office.jurisdiction.name not in name:
                name = f"{office.jurisdiction.name} · {name}"
            return [{"name": name, "phones": [(p.number, p.label) for p in office.phones.all()]}]
    return [{"name": j.name, "phones": [(number, "") for number in j.hotlines]} for j in jurisdiction_list()]
