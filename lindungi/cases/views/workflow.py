"""Assessment, case plan, supervisor approvals, closure and re-opening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.cases import forms, selectors, services
from lindungi.cases.models import Approval, Assessment, CasePlan, CasePlanAction
from lindungi.cases.views.base import case_url, form_page, get_case
from lindungi.core import policy
from lindungi.core.errors import DomainError


def _child_of(case, model, pk):
    obj = model.objects.filter(pk=pk, case=case).first()
    if obj is None:
        raise policy.OutOfScope("cases.case.edit", model, {"pk": pk}, exists=model.objects.filter(pk=pk).exists())
    return obj


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk, assessment_pk=None):
    case = get_case(request, pk, "cases.case.edit")
    assessment = _child_of(case, Assessment, assessment_pk) if assessment_pk else None
    if assessment is not None:
        initial = forms.assessment_initial(assessment)
    else:
        kind = request.GET.get("kind") if request.GET.get("kind") in Assessment.Kind.values else Assessment.Kind.INITIAL
        initial = {"kind": kind, "assessed_on": timezone.localdate()}
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    submit = "submit" in request.POST

    def save(cleaned):
        saved = services.assessment_save(actor=request.user, case=case, assessment=assessment, **form.service_kwargs())
        if submit:
            services.assessment_submit(actor=request.user, case=case, assessment=saved)
        return saved

    return form_page(request, form=form, template="cases/assessment_form.html",
                     context={"case": case, "assessment": assessment},
                     on_valid=save,
                     success_message=_("The assessment was sent for approval.") if submit
                     else _("The assessment was saved."),
                     success_url=lambda a: case_url(case) + "#assessments")


@login_required
@require_POST
def assessment_submit(request, pk, assessment_pk):
    case = get_case(request, pk, "cases.case.edit")
    assessment = _child_of(case, Assessment, assessment_pk)
    try:
        services.assessment_submit(actor=request.user, case=case, assessment=assessment)
        messages.success(request, _("The assessment was sent for approval."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(case_url(case) + "#assessments")


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk, plan_pk=None):
    case = get_case(request, pk, "cases.case.edit")
    plan = _child_of(case, CasePlan, plan_pk) if plan_pk else None
    if plan is not None:
        initial, goal_slots, action_slots = forms.plan_initial(plan)
    else:
        initial, goal_slots, action_slots = {}, 3, 3
    if request.method == "POST":
        goal_slots = int(request.POST.get("goal_slots", goal_slots)) if str(request.POST.get("goal_slots", "")).isdigit() else goal_slots
        action_slots = int(request.POST.get("action_slots", action_slots)) if str(request.POST.get("action_slots", "")).isdigit() else action_slots
        goal_slots, action_slots = min(goal_slots, 20), min(action_slots, 20)
    form = forms.PlanForm(request.POST or None, initial=initial, goal_slots=goal_slots, action_slots=action_slots)
    submit = "submit" in request.POST

    def save(cleaned):
        saved = services.plan_save(actor=request.user, case=case, plan=plan, summary=cleaned.get("summary") or "",
                                   goals=form.goals())
        if submit:
            services.plan_submit(actor=request.user, case=case, plan=saved)
        return saved

    return form_page(request, form=form, template="cases/plan_form.html",
                     context={"case": case, "plan": plan},
                     on_valid=save,
                     success_message=_("The case plan was sent for approval.") if submit
                     else _("The case plan was saved."),
                     success_url=lambda p: case_url(case) + "#plan")


@login_required
@require_POST
def plan_submit(request, pk, plan_pk):
    case = get_case(request, pk, "cases.case.edit")
    plan = _child_of(case, CasePlan, plan_pk)
    try:
        services.plan_submit(actor=request.user, case=case, plan=plan)
        messages.success(request, _("The case plan was sent for approval."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(case_url(case) + "#plan")


@login_required
@require_POST
def action_status(request, pk, action_pk):
    case = get_case(request, pk, "cases.case.edit")
    action = CasePlanAction.objects.filter(pk=action_pk, goal__plan__case=case).select_related("goal__plan").first()
    if action is None:
        raise policy.OutOfScope("cases.case.edit", CasePlanAction, {"pk": action_pk},
                                exists=CasePlanAction.objects.filter(pk=action_pk).exists())
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.plan_action_update(actor=request.user, case=case, action=action, status=form.cleaned_data["status"])
            messages.success(request, _("The action was updated."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(case_url(case) + "#plan")


@login_required
@require_http_methods(["GET", "POST"])
def approval_decide(request, pk, approval_pk):
    case = get_case(request, pk, "cases.case.approve")
    approval = _child_of(case, Approval, approval_pk)
    form = forms.DecisionForm(request.POST or None)
    context = {"case": case, "approval": approval, "assessment": approval.assessment, "plan": approval.plan}
    return form_page(request, form=form, template="cases/approval_form.html", context=context,
                     on_valid=lambda c: services.approval_decide(actor=request.user, approval=approval,
                                                                 approve=c["decision"] == "approve",
                                                                 comments=c.get("comments") or ""),
                     success_message=_("Your decision was recorded."), success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def closure_request(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.ClosureForm(request.POST or None)
    closure_assessment = case.assessments.filter(kind=Assessment.Kind.CLOSURE).first()
    return form_page(request, form=form, template="cases/closure_form.html",
                     context={"case": case, "closure_assessment": closure_assessment},
                     on_valid=lambda c: services.closure_request(actor=request.user, case=case, reason=c["reason"],
                                                                 notes=c.get("notes") or ""),
                     success_message=_("The closure was sent to the supervisor for approval."),
                     success_url=case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request, pk):
    case = get_case(request, pk, "cases.case.reopen")
    form = forms.ReopenForm(request.POST or None)
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Re-open the case")},
                     on_valid=lambda c: services.case_reopen(actor=request.user, case=case, reason=c["reason"]),
                     success_message=_("The case was re-opened."), success_url=case_url(case))


@login_required
@require_http_methods(["GET"])
def approvals(request):
    policy.require(request.user, "cases.case.approve")
    return render(request, "cases/approvals.html", {"approvals": selectors.pending_approvals(user=request.user)})
