"""The legal case list, opening a legal case, its page, details, links, officer and stage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindungi.cases.models import Case
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.incidents import common
from lindungi.incidents import selectors as incident_selectors
from lindungi.incidents.models import IncidentCase
from lindungi.incidents.web import form_page, paginate
from lindungi.legal import selectors, services, stages
from lindungi.legal.forms import (
    AssignForm,
    DetailsForm,
    LegalCaseCreateForm,
    LegalCaseFilterForm,
    LinksForm,
    StageForm,
)
from lindungi.legal.models import HearingStatus
from lindungi.legal.services._common import ASSIGN, CREATE, REFERENCE
from lindungi.legal.views._common import FORM_TEMPLATE, detail_url, form_context, get_legal_case

VIEW, EDIT = selectors.VIEW, selectors.EDIT


@login_required
def legal_case_list(request):
    policy.require(request.user, VIEW)
    officers = selectors.officer_choices(request.user)
    form = LegalCaseFilterForm(request.GET or None, officers=officers)
    error = None
    try:
        legal_cases = selectors.legal_case_list(user=request.user,
                                                filters=selectors.LegalCaseFilters.from_params(request.GET))
    except DomainError as exc:
        error, legal_cases = exc.message, selectors.visible_legal_cases(request.user).none()
    page, query = paginate(request, legal_cases)
    return render(request, "legal/legal_case_list.html", {
        "form": form, "page": page, "query": query, "filter_error": error,
        "can_create": policy.allowed(request.user, CREATE),
        "can_manage_reference": policy.allowed(request.user, REFERENCE),
        "can_use_calendar": policy.allowed(request.user, selectors.CALENDAR),
    }, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def legal_case_create(request):
    policy.require(request.user, CREATE)
    initial = {"stage": stages.first_stage(), "entered_on": common.today()}
    incident_id = request.GET.get("incident", "")
    if incident_id:
        try:
            incident = incident_selectors.visible_incidents(request.user).filter(
                pk=incident_id, organisation_id=request.user.organisation_id).first()
        except Exception:  # noqa: BLE001 (a malformed id is simply not prefilled)
            incident = None
        if incident is not None:
            initial["incident_numbers"] = incident.number
    officers = selectors.officer_choices(request.user) if policy.allowed(request.user, ASSIGN) else None
    form = LegalCaseCreateForm(request.POST or None, initial=initial, officers=officers)

    def save(data):
        incidents, unknown = incident_selectors.incidents_by_numbers(request.user, data["incident_numbers"])
        if unknown:
            raise common.field_error("incident_numbers", _("These incident numbers are not incidents you can link: "
                                                           "%(numbers)s") % {"numbers": ", ".join(unknown)})
        return services.legal_case_create(
            actor=request.user, incidents=incidents, data=form.details(), stage=data["stage"],
            entered_on=data["entered_on"], reported_on=data.get("reported_on"),
            assigned_officer=data.get("assigned_officer"))

    return form_page(request, form=form, template=FORM_TEMPLATE, context={"title": _("Open a legal case")},
                     on_valid=save, success_message=_("Legal case opened."), success_url=detail_url)


def _victims(request, legal_case) -> list:
    cases = list(legal_case.victims.order_by("number"))
    visible = set(policy.scope_filter(request.user, "cases.case.view", Case.objects.filter(
        pk__in=[c.pk for c in cases])).values_list("pk", flat=True))
    for case in cases:
        case.user_can_open = case.pk in visible
    return cases


@login_required
def legal_case_detail(request, pk):
    user = request.user
    legal_case = get_legal_case(request, pk, VIEW, record_view=True)
    can_edit = policy.in_scope(user, EDIT, legal_case)
    incidents = list(legal_case.incidents.order_by("number"))
    visible_incidents = set(incident_selectors.visible_incidents(user).filter(
        pk__in=[i.pk for i in incidents]).values_list("pk", flat=True))
    for incident in incidents:
        incident.user_can_open = incident.pk in visible_incidents
    today = common.today()
    hearings = list(legal_case.hearings.select_related("accompanied_by"))
    return render(request, "legal/legal_case_detail.html", {
        "legal_case": legal_case,
        "incidents": incidents,
        "victims": _victims(request, legal_case),
        "defendants": selectors.defendants(legal_case),
        "case_charges": legal_case.charges.filter(defendant__isnull=True).select_related("article__law"),
        "hearings": hearings,
        "upcoming_hearings": [h for h in hearings if h.date >= today and h.status == HearingStatus.SCHEDULED],
        "restitutions": list(legal_case.restitutions.select_related("defendant__perpetrator")),
        "protection_requests": list(legal_case.protection_requests.select_related("victim")),
        "deadlines": selectors.case_deadlines(legal_case),
        "timeline": selectors.timeline(legal_case),
        "today": today,
        "allowed_stages": stages.allowed_stages(legal_case) if can_edit else [],
        "can_edit": can_edit,
        "can_assign": policy.in_scope(user, ASSIGN, legal_case),
        "shared_view": legal_case.organisation_id != user.organisation_id,
    })


@login_required
@require_http_methods(["GET", "POST"])
def legal_case_edit(request, pk):
    legal_case = get_legal_case(request, pk)
    initial = {name: getattr(legal_case, name) for name in DetailsForm.DETAIL_NAMES}
    form = DetailsForm(request.POST or None, initial=initial)
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Police, prosecutor and court")),
                     on_valid=lambda data: services.legal_case_update(actor=request.user, legal_case=legal_case,
                                                                      data=form.details()),
                     success_message=_("Saved."), success_url=detail_url(legal_case))


@login_required
@require_http_methods(["GET", "POST"])
def legal_case_links(request, pk):
    legal_case = get_legal_case(request, pk)
    incident_ids = set(legal_case.incident_links.values_list("incident_id", flat=True))
    posted = []
    if request.method == "POST":
        from lindungi.incidents.forms import split_numbers

        posted, _unknown = incident_selectors.incidents_by_numbers(
            request.user, split_numbers(request.POST.get("incident_numbers", "")))
    cases = Case.objects.filter(pk__in=IncidentCase.objects.filter(
        incident_id__in=incident_ids | {i.pk for i in posted}).values("case_id")).order_by("number")
    initial = {"incident_numbers": ", ".join(legal_case.incidents.order_by("number").values_list("number", flat=True)),
               "victims": list(legal_case.victims.all())}
    form = LinksForm(request.POST or None, initial=initial, cases=cases)

    def save(data):
        current = {i.number: i for i in legal_case.incidents.all()}
        found, unknown = incident_selectors.incidents_by_numbers(request.user, data["incident_numbers"])
        found_numbers = {i.number for i in found}
        incidents = found + [current[n] for n in unknown if n in current and n not in found_numbers]
        unknown = [n for n in unknown if n not in current]
        if unknown:
            raise common.field_error("incident_numbers", _("These incident numbers are not incidents you can link: "
                                                           "%(numbers)s") % {"numbers": ", ".join(unknown)})
        return services.legal_case_set_links(actor=request.user, legal_case=legal_case, incidents=incidents,
                                             victims=list(data["victims"]))

    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Incidents and victims")),
                     on_valid=save, success_message=_("Saved."), success_url=detail_url(legal_case))


@login_required
@require_http_methods(["GET", "POST"])
def legal_case_assign(request, pk):
    legal_case = get_legal_case(request, pk, ASSIGN)
    form = AssignForm(request.POST or None, initial={"officer": legal_case.assigned_officer},
                      officers=selectors.officer_choices(request.user))
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Assign the legal officer")),
                     on_valid=lambda data: services.legal_case_assign(actor=request.user, legal_case=legal_case,
                                                                      officer=data["officer"]),
                     success_message=_("Legal officer assigned."), success_url=detail_url(legal_case))


@login_required
@require_http_methods(["GET", "POST"])
def legal_case_stage(request, pk):
    legal_case = get_legal_case(request, pk)
    allowed = stages.allowed_stages(legal_case)
    form = StageForm(request.POST or None, initial={"entered_on": common.today()}, allowed=allowed)
    note = None
    if legal_case.is_closed:
        note = _("This legal case is closed: its stage can no longer change.")
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Change the stage"), note=note),
                     on_valid=lambda data: services.legal_case_change_stage(
                         actor=request.user, legal_case=legal_case, stage=data["stage"],
                         entered_on=data["entered_on"], note=data["note"]),
                     success_message=_("Stage recorded."), success_url=detail_url(legal_case))
