"""Incident pages: thin views over the selectors and services (the API in api.py calls the same)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.cases.models import Case
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.incidents import common, hooks, selectors, services
from lindungi.incidents.forms import (
    IncidentFilterForm,
    IncidentForm,
    LinkCaseForm,
    PerpetratorForm,
    incident_initial,
    perpetrator_initial,
    reference_form,
)
from lindungi.incidents.models import Platform
from lindungi.incidents.web import form_page, paginate, post_action

VIEW, EDIT, CREATE, REFERENCE = selectors.VIEW, selectors.EDIT, services.CREATE, services.REFERENCE

REFERENCE_LISTS = {"platforms": (Platform, gettext_lazy("Online platforms"))}


def _detail_url(incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


@login_required
def incident_list(request):
    policy.require(request.user, VIEW)
    form = IncidentFilterForm(request.GET or None)
    error = None
    try:
        incidents = selectors.incident_list(user=request.user,
                                            filters=selectors.IncidentFilters.from_params(request.GET))
    except DomainError as exc:
        error, incidents = exc.message, selectors.visible_incidents(request.user).none()
    page, query = paginate(request, incidents)
    return render(request, "incidents/incident_list.html", {
        "form": form, "page": page, "query": query, "filter_error": error,
        "can_create": policy.allowed(request.user, CREATE),
        "can_manage_reference": policy.allowed(request.user, REFERENCE),
    }, status=400 if error else 200)


def _save_new(request, form):
    def save(data):
        cases, unknown = selectors.cases_by_numbers(request.user, data["case_numbers"])
        if unknown:
            raise common.field_error("case_numbers", _("These case numbers are not cases you can link: %(numbers)s") % {
                "numbers": ", ".join(unknown)})
        return services.incident_create(actor=request.user, cases=cases, data=form.service_data(),
                                        types=data["types"], online_subtypes=data["online_subtypes"],
                                        platforms=data["platforms"])
    return save


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    policy.require(request.user, CREATE)
    initial = {}
    case_id = request.GET.get("case", "")
    if case_id:
        try:
            case = selectors.linkable_cases(request.user).filter(pk=case_id).first()
        except Exception:  # noqa: BLE001 (a malformed id is simply not prefilled)
            case = None
        if case is not None:
            initial["case_numbers"] = case.number
    form = IncidentForm(request.POST or None, initial=initial)
    return form_page(request, form=form, template="incidents/incident_form.html",
                     context={"title": _("Record an incident")}, on_valid=_save_new(request, form),
                     success_message=_("Incident recorded."), success_url=_detail_url)


@login_required
def incident_detail(request, pk):
    policy.require(request.user, VIEW)
    incident = selectors.incident_get(user=request.user, pk=pk)
    can_edit = policy.in_scope(request.user, EDIT, incident)
    legal_cases = []
    if policy.allowed(request.user, "legal.legalcase.view"):
        legal_cases = list(policy.scope_filter(request.user, "legal.legalcase.view",
                                               hooks.legal_cases_of_incident(incident)).select_related("stage"))
    return render(request, "incidents/incident_detail.html", {
        "incident": incident,
        "types": list(incident.types.all()),
        "platforms": list(incident.platforms.all()),
        "perpetrators": list(incident.perpetrators.all()),
        "cases": selectors.linked_cases(user=request.user, incident=incident),
        "legal_cases": legal_cases,
        "shared_view": incident.organisation_id != request.user.organisation_id,
        "can_edit": can_edit,
        "can_open_legal_case": (incident.organisation_id == request.user.organisation_id
                                and policy.allowed(request.user, "legal.legalcase.create")),
        "link_form": LinkCaseForm() if can_edit else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, pk):
    policy.require(request.user, EDIT)
    incident = selectors.incident_get(user=request.user, pk=pk, action=EDIT, record_view=False)
    form = IncidentForm(request.POST or None, initial=incident_initial(incident), with_cases=False, incident=incident)

    def save(data):
        return services.incident_update(actor=request.user, incident=incident, data=form.service_data(),
                                        types=data["types"], online_subtypes=data["online_subtypes"],
                                        platforms=data["platforms"])

    return form_page(request, form=form, template="incidents/incident_form.html",
                     context={"title": _("Edit incident %(number)s") % {"number": incident.number},
                              "incident": incident},
                     on_valid=save, success_message=_("Incident saved."), success_url=_detail_url)


@login_required
@require_POST
def incident_link_case(request, pk):
    policy.require(request.user, EDIT)
    incident = selectors.incident_get(user=request.user, pk=pk, action=EDIT, record_view=False)
    form = LinkCaseForm(request.POST)

    def link():
        if not form.is_valid():
            raise common.field_error("case_number", _("Enter a case number."))
        cases, unknown = selectors.cases_by_numbers(request.user, [form.cleaned_data["case_number"]])
        if unknown:
            raise common.field_error("case_number", _("%(number)s is not a case you can link.") % {
                "number": unknown[0]})
        services.incident_link_case(actor=request.user, incident=incident, case=cases[0])

    return post_action(request, link, _("Case linked."), _detail_url(incident))


@login_required
@require_POST
def incident_unlink_case(request, pk, case_pk):
    policy.require(request.user, EDIT)
    incident = selectors.incident_get(user=request.user, pk=pk, action=EDIT, record_view=False)
    case = incident.cases.filter(pk=case_pk).first()
    if case is None:
        raise Http404
    return post_action(request, lambda: services.incident_unlink_case(actor=request.user, incident=incident,
                                                                      case=case),
                       _("Case unlinked."), _detail_url(incident))


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_add(request, pk):
    policy.require(request.user, EDIT)
    incident = selectors.incident_get(user=request.user, pk=pk, action=EDIT, record_view=False)
    form = PerpetratorForm(request.POST or None)
    return form_page(request, form=form, template="incidents/perpetrator_form.html",
                     context={"title": _("Add a perpetrator"), "incident": incident},
                     on_valid=lambda data: services.perpetrator_add(actor=request.user, incident=incident, data=data),
                     success_message=_("Perpetrator added."), success_url=_detail_url(incident))


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_edit(request, pk):
    policy.require(request.user, EDIT)
    perpetrator = selectors.perpetrator_get(user=request.user, pk=pk)
    form = PerpetratorForm(request.POST or None, initial=perpetrator_initial(perpetrator))
    return form_page(request, form=form, template="incidents/perpetrator_form.html",
                     context={"title": _("Edit perpetrator"), "incident": perpetrator.incident,
                              "perpetrator": perpetrator},
                     on_valid=lambda data: services.perpetrator_update(actor=request.user, perpetrator=perpetrator,
                                                                       data=data),
                     success_message=_("Perpetrator saved."), success_url=_detail_url(perpetrator.incident))


@login_required
@require_POST
def perpetrator_remove(request, pk):
    policy.require(request.user, EDIT)
    perpetrator = selectors.perpetrator_get(user=request.user, pk=pk)
    incident = perpetrator.incident
    return post_action(request, lambda: services.perpetrator_remove(actor=request.user, perpetrator=perpetrator),
                       _("Perpetrator removed."), _detail_url(incident))


@login_required
@require_http_methods(["GET", "POST"])
def reference_list(request, kind, pk=None):
    """A reference list with a form to add an item (or to edit item `pk`)."""
    if kind not in REFERENCE_LISTS:
        raise Http404
    policy.require(request.user, REFERENCE)
    model, label = REFERENCE_LISTS[kind]
    instance = None
    if pk is not None:
        instance = model.objects.filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = reference_form(model)(request.POST or None, instance=instance)
    return form_page(request, form=form, template="incidents/reference_list.html",
                     context={"kind": kind, "label": label, "items": model.objects.all(), "instance": instance},
                     on_valid=lambda data: services.reference_save(actor=request.user, model=model, data=data,
                                                                   instance=instance),
                     success_message=_("Saved."), success_url=reverse("incidents:reference", args=[kind]))


def case_incidents_url(case: Case) -> str:
    """For other pages (e.g. the case page): the incidents of a case."""
    return f"{reverse('incidents:list')}?case={case.pk}"
