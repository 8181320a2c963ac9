"""Case list, registration, the case page, and editing the child and the case."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindungi.cases import exports, forms, selectors, services
from lindungi.cases.duplicates import find_duplicates
from lindungi.cases.forms import add_domain_error
from lindungi.cases.models import ActionStatus, Caregiver, Consent, Status
from lindungi.cases.tasks import task_list
from lindungi.cases.timeline import describe_events
from lindungi.cases.views.base import case_url, form_page, get_case
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.core.pagination import page_of_rows
from lindungi.core.policy import Role

PAGE_SIZE = 25


def _filters(request):
    staff = selectors.staff_choices(request.user, Role.CASEWORKER) if policy.allowed(
        request.user, "cases.case.view", policy.Scope.ORGANISATION) else []
    form = forms.CaseFilterForm(request.GET or None, staff=staff)
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        filters = selectors.CaseFilters(
            status=c.get("status") or "", risk=c.get("risk") or "", assigned_to=c.get("assigned_to") or "",
            province=c["province"].pk if c.get("province") else "", regency=c["regency"].pk if c.get("regency") else "",
            registered_from=c.get("registered_from"), registered_to=c.get("registered_to"),
            overdue=bool(c.get("overdue")), q=c.get("q") or "", sort=c.get("sort") or "-registered")
    return form, filters


@login_required
@require_GET
def case_list(request):
    policy.require(request.user, "cases.case.view")
    form, filters = _filters(request)
    queryset = selectors.case_list(user=request.user, filters=filters)
    page = page_of_rows(queryset, request.GET.get("page"), selectors.case_list_rows, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": policy.allowed(request.user, "cases.case.create"),
        "can_export": policy.allowed(request.user, "cases.case.export"),
        "can_export_identifying": policy.allowed(request.user, "cases.case.export_identifying"),
        "searching": bool(filters.q),
    })


def _export(request, identifying: bool):
    form, filters = _filters(request)
    fmt = request.GET.get("format", "csv")
    action = "cases.case.export_identifying" if identifying else "cases.case.export"
    policy.require(request.user, action)
    queryset = selectors.case_list(user=request.user, filters=filters, action=action)
    try:
        return exports.export_response(user=request.user, queryset=queryset, fmt=fmt, identifying=identifying,
                                       filters={k: v for k, v in request.GET.items() if k not in ("format", "page")})
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cases:list")


@login_required
@require_GET
def case_export(request):
    return _export(request, identifying=False)


@login_required
@require_GET
def case_export_identifying(request):
    policy.require(request.user, "cases.case.export_identifying")  # 403 before asking for the password
    return _export_identifying(request)


@reauthentication_required
def _export_identifying(request):
    return _export(request, identifying=True)


@login_required
@require_http_methods(["GET", "POST"])
def case_register(request):
    policy.require(request.user, "cases.case.create")
    user = request.user
    caseworkers = selectors.staff_choices(user, Role.CASEWORKER)
    supervisors = selectors.staff_choices(user, Role.SUPERVISOR)
    initial = {"registered_on": timezone.localdate(), "consent_given_on": timezone.localdate()}
    if Role.CASEWORKER in user.roles:
        initial["assigned_caseworker"] = user.pk
    if Role.SUPERVISOR in user.roles:
        initial["supervisor"] = user.pk
    form = forms.RegistrationForm(request.POST or None, initial=initial, caseworkers=caseworkers,
                                  supervisors=supervisors)
    duplicates = None
    if request.method == "POST" and form.is_valid() and not form.region_refresh_requested:
        kwargs = form.service_kwargs()
        try:
            case = services.case_register(actor=user, **kwargs)
        except DomainError as error:
            if error.code == "possible_duplicate":
                child = kwargs["child"]
                duplicates = find_duplicates(user.organisation, full_name=child.get("full_name"),
                                             birth_date=child.get("birth_date"), nik=child.get("nik"))
                form.add_error(None, str(error.message))
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
            if policy.in_scope(user, "cases.case.view", case):
                return redirect(case_url(case))
            return redirect("cases:list")
    return render(request, "cases/case_register.html", {"form": form, "duplicates": duplicates})


@login_required
@require_GET
def case_detail(request, pk):
    case = get_case(request, pk, record_view=True)
    user = request.user
    context = selectors.case_page(user=user, case=case)
    own = case.organisation_id == user.organisation_id
    # Which buttons: every action's scope asked of the case at once (one query, not one per action).
    may = policy.in_scope_many(user, ("cases.case.edit", "cases.case.approve", "cases.case.assign",
                                      "cases.case.reopen", "cases.case.transfer", "cases.case.share"), case) \
        if own else {}
    can_edit = own and may["cases.case.edit"]
    context.update({
        "timeline": describe_events(context["events"]),
        "can_edit": can_edit and case.is_open,
        "can_approve": own and may["cases.case.approve"],
        "can_assign": own and case.is_open and may["cases.case.assign"],
        "can_reopen": own and case.status == Status.CLOSED and not case.is_transfer_stub and may["cases.case.reopen"],
        "can_transfer": own and case.is_open and may["cases.case.transfer"],
        "can_share": own and may["cases.case.share"],
        "shared_view": not own,
        "transitions": _manual_transitions(case) if can_edit else [],
        "action_statuses": ActionStatus.choices,
        "pending": {a.kind: a for a in context["approvals"] if a.status == "submitted"},
    })
    return render(request, "cases/case_detail.html", context)


def _manual_transitions(case):
    from lindungi.cases.services.workflow import MANUAL_TRANSITIONS

    return [(status, Status(status).label) for status in sorted(MANUAL_TRANSITIONS.get(case.status, set()))]


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    if case.child is None:
        return redirect(case_url(case))
    form = forms.ChildForm(request.POST or None, initial=forms.child_initial(case.child))
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Edit the child's details"), "regions": True},
                     on_valid=lambda c: services.child_update(actor=request.user, case=case, data=form.child_data()),
                     success_message=_("The child's details were saved."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    initial = {name: getattr(case, name) for name in forms.CaseForm.base_fields}
    form = forms.CaseForm(request.POST or None, initial=initial)
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Edit the case")},
                     on_valid=lambda c: services.case_update(actor=request.user, case=case, data=c),
                     success_message=_("The case was saved."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def case_risk(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.RiskForm(request.POST or None, initial={"level": case.risk_level})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Change the risk level")},
                     on_valid=lambda c: services.case_set_risk(actor=request.user, case=case, level=c["level"],
                                                               reason=c["reason"]),
                     success_message=_("The risk level was changed."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk):
    case = get_case(request, pk, "cases.case.assign")
    form = forms.AssignForm(request.POST or None, caseworkers=selectors.staff_choices(request.user, Role.CASEWORKER),
                            supervisors=selectors.staff_choices(request.user, Role.SUPERVISOR),
                            initial={"caseworker": case.assigned_caseworker_id, "supervisor": case.supervisor_id})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Assign the case")},
                     on_valid=lambda c: services.case_assign(actor=request.user, case=case, caseworker=c["caseworker"],
                                                             supervisor=c["supervisor"]),
                     success_message=_("The case was assigned."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def caregiver_add(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.CaregiverForm(request.POST or None)
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Add a caregiver or guardian")},
                     on_valid=lambda c: services.caregiver_add(actor=request.user, case=case, data=c),
                     success_message=_("The caregiver was added."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def caregiver_edit(request, pk, caregiver_pk):
    case = get_case(request, pk, "cases.case.edit")
    caregiver = Caregiver.objects.filter(pk=caregiver_pk, child_id=case.child_id).first()
    if caregiver is None or case.child_id is None:
        raise policy.OutOfScope("cases.case.edit", Caregiver, {"pk": caregiver_pk},
                                exists=Caregiver.objects.filter(pk=caregiver_pk).exists())
    initial = {name: getattr(caregiver, name) for name in forms.CaregiverForm.base_fields}
    form = forms.CaregiverForm(request.POST or None, initial=initial)
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Edit a caregiver or guardian")},
                     on_valid=lambda c: services.caregiver_update(actor=request.user, case=case, caregiver=caregiver,
                                                                  data=c),
                     success_message=_("The caregiver was saved."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Record a consent")},
                     on_valid=lambda c: services.consent_record(actor=request.user, case=case, **c),
                     success_message=_("The consent was recorded."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, pk, consent_pk):
    case = get_case(request, pk, "cases.case.edit")
    consent = Consent.objects.filter(pk=consent_pk, case=case).first()
    if consent is None:
        raise policy.OutOfScope("cases.case.edit", Consent, {"pk": consent_pk},
                                exists=Consent.objects.filter(pk=consent_pk).exists())
    form = forms.ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Withdraw a consent: %(purpose)s") % {
                         "purpose": consent.get_purpose_display()},
                              "warning": _("A withdrawal takes effect everywhere at once. Withdrawing the sharing "
                                           "consent ends every share of this case.")},
                     on_valid=lambda c: services.consent_withdraw(actor=request.user, case=case, consent=consent, **c),
                     success_message=_("The consent was withdrawn."), success_url=case_url(case))


@login_required
@require_POST
def case_transition(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.case_transition(actor=request.user, case=case, to=form.cleaned_data["status"])
            messages.success(request, _("The case moved to “%(status)s”.") % {
                "status": Status(form.cleaned_data["status"]).label})
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(case_url(case))


@login_required
@require_GET
def my_tasks(request):
    policy.require(request.user, "cases.case.view")
    return render(request, "cases/tasks.html", {"tasks": task_list(request.user)})
