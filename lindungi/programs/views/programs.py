"""Program pages: list, page with logframe and progress, create/edit, funding, results,
indicators, targets and actuals, the dashboard and its charts, and the IATI export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.programs import dashboard, selectors, services
from lindungi.programs.forms import (
    ActualForm,
    DashboardFilterForm,
    FundingForm,
    IndicatorForm,
    ProgramFilterForm,
    ProgramForm,
    ResultForm,
    TargetForm,
)
from lindungi.programs.iati import export as iati
from lindungi.programs.models import (
    Activity,
    IndicatorActual,
    IndicatorTarget,
    ParticipantCount,
    Program,
    ProgramFunding,
)
from lindungi.programs.views._common import run, svg_response, year_param

VIEW, EDIT, REPORT = "programs.program.view", "programs.program.edit", "programs.indicator.report"


@login_required
def program_list(request):
    policy.require(request.user, VIEW)
    form = ProgramFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: getattr(v, "pk", v) for k, v in filters.items() if v not in (None, "")}
    programs = selectors.program_list(user=request.user, filters=filters).prefetch_related("funding__donor")
    return render(request, "programs/program_list.html", {
        "form": form, "programs": programs[:200],
        "can_create": policy.allowed(request.user, EDIT, policy.Scope.ORGANISATION),
        "can_record": selectors.programs_for_recording(request.user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    policy.require(request.user, EDIT, policy.Scope.ORGANISATION)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = run(request, form, lambda: services.program_create(actor=request.user, data=form.cleaned_data))
        if program:
            messages.success(request, _("Program saved."))
            return redirect("programs:detail", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk):
    policy.require(request.user, EDIT)
    program = selectors.program_get(user=request.user, pk=pk, action=EDIT)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        if run(request, form, lambda: services.program_update(actor=request.user, program=program,
                                                              data=form.cleaned_data)):
            messages.success(request, _("Program saved."))
            return redirect("programs:detail", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def _logframe(program):
    results = list(program.results.prefetch_related("indicators__targets", "indicators__actuals"))
    by_parent = {}
    for result in results:
        by_parent.setdefault(result.parent_id, []).append(result)
    ids = {r.pk for r in results}
    rows = []

    def walk(parent_id, depth):
        for result in by_parent.get(parent_id, []):
            progress = [selectors.indicator_progress(i) for i in result.indicators.all()]
            rows.append({"result": result, "depth": depth, "progress": progress})
            walk(result.pk, depth + 1)

    walk(None, 0)
    for result in results:  # a parent in another program cannot happen; orphans still show
        if result.parent_id and result.parent_id not in ids:
            rows.append({"result": result, "depth": 0, "progress": []})
    return rows


@login_required
def program_detail(request, pk):
    program = selectors.program_get(user=request.user, pk=pk)
    activities = selectors.activity_list(user=request.user, filters={"program": program.pk})
    held = activities.filter(status=Activity.Status.COMPLETED)
    tables = [dashboard.with_src(dashboard.activity_chart(name, activities), program=program.pk)
              for name in dashboard.CHART_NAMES]
    return render(request, "programs/program_detail.html", {
        "program": program,
        "funding": program.funding.select_related("donor", "currency"),
        "logframe": _logframe(program),
        "activities": activities[:50],
        "activity_count": activities.count(),
        "held_count": held.count(),
        "people": ParticipantCount.objects.filter(activity__in=held).aggregate(n=Sum("count"))["n"] or 0,
        "charts": tables,
        "elapsed": round(program.elapsed_share() * 100),
        "learning": program.learning.all(),
        "can_edit": selectors.can_edit_program(request.user, program),
        "can_report": selectors.can_report_indicators(request.user, program),
        "can_record": selectors.programs_for_recording(request.user).filter(pk=program.pk).exists(),
        "can_export": policy.in_scope(request.user, "programs.iati.export", program),
        "funding_form": FundingForm(),
    })


@login_required
def chart(request, name):
    """One chart as SVG, for the program page (`?program=`) or the dashboard (`?year=`)."""
    policy.require(request.user, VIEW)
    filters = {"year": year_param(request)}
    indicator_pk = request.GET.get("indicator", "")
    if name == "indicator":
        if not indicator_pk.isdigit():
            raise Http404
        indicator = selectors.indicator_get(user=request.user, pk=int(indicator_pk))
        return svg_response(dashboard.indicator_chart(selectors.indicator_progress(indicator)).svg())
    if name not in dashboard.CHART_NAMES:
        raise Http404
    program_pk = request.GET.get("program", "")
    if program_pk:
        if not program_pk.isdigit():
            raise Http404
        filters["program"] = selectors.program_get(user=request.user, pk=int(program_pk)).pk
    activities = selectors.activity_list(user=request.user, filters=filters)
    return svg_response(dashboard.activity_chart(name, activities).svg())


@login_required
def dashboard_view(request):
    policy.require(request.user, VIEW)
    form = DashboardFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        if form.cleaned_data.get("year"):
            filters["year"] = form.cleaned_data["year"]
        if form.cleaned_data.get("program"):
            filters["program"] = form.cleaned_data["program"].pk
    activities = selectors.activity_list(user=request.user, filters=filters)
    summary = selectors.reach_summary(activities)
    return render(request, "programs/dashboard.html", {
        "form": form, "summary": summary,
        "charts": [dashboard.with_src(dashboard.activity_chart(name, activities), **filters)
                   for name in dashboard.CHART_NAMES],
        "held": activities.filter(status=Activity.Status.COMPLETED).count(),
        "outputs": selectors.outputs_by_kind(activities),
    })


@login_required
@require_POST
def funding_add(request, pk):
    policy.require(request.user, EDIT)
    program = selectors.program_get(user=request.user, pk=pk, action=EDIT)
    form = FundingForm(request.POST)
    if form.is_valid():
        if run(request, None, lambda: services.funding_set(actor=request.user, program=program, **form.cleaned_data)):
            messages.success(request, _("Funding saved."))
    else:
        messages.error(request, _("Check the funding: %(errors)s") % {"errors": "; ".join(
            str(e) for errors in form.errors.values() for e in errors)})
    return redirect("programs:detail", pk=program.pk)


@login_required
@require_POST
def funding_remove(request, pk):
    policy.require(request.user, EDIT)
    funding = policy.get_object(request.user, EDIT, ProgramFunding.objects.select_related("program"), pk=pk)
    run(request, None, lambda: services.funding_remove(actor=request.user, funding=funding))
    return redirect("programs:detail", pk=funding.program_id)


@login_required
@require_http_methods(["GET", "POST"])
def result_form(request, pk=None, program_pk=None):
    policy.require(request.user, EDIT)
    result = selectors.result_get(user=request.user, pk=pk, action=EDIT) if pk else None
    program = result.program if result else selectors.program_get(user=request.user, pk=program_pk, action=EDIT)
    initial = {}
    if result is None and request.GET.get("parent", "").isdigit():
        parent = program.results.filter(pk=int(request.GET["parent"])).first()
        if parent:
            initial = {"parent": parent, "level": {"goal": "outcome", "outcome": "output"}.get(parent.level, "output")}
    form = ResultForm(request.POST or None, instance=result, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run(request, form, lambda: services.result_save(actor=request.user, program=program,
                                                                data=form.cleaned_data, result=result))
        if saved:
            messages.success(request, _("Result saved."))
            return redirect(f"{program_url(program)}#logframe")
    return render(request, "programs/result_form.html", {"form": form, "program": program, "result": result})


def program_url(program):
    from django.urls import reverse

    return reverse("programs:detail", args=[program.pk])


@login_required
@require_POST
def result_delete(request, pk):
    policy.require(request.user, EDIT)
    result = selectors.result_get(user=request.user, pk=pk, action=EDIT)
    program = result.program
    run(request, None, lambda: services.result_delete(actor=request.user, result=result))
    messages.success(request, _("Result deleted."))
    return redirect(f"{program_url(program)}#logframe")


@login_required
@require_http_methods(["GET", "POST"])
def indicator_form(request, pk=None, result_pk=None):
    policy.require(request.user, EDIT)
    indicator = selectors.indicator_get(user=request.user, pk=pk, action=EDIT) if pk else None
    result = indicator.result if indicator else selectors.result_get(user=request.user, pk=result_pk, action=EDIT)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = run(request, form, lambda: services.indicator_save(actor=request.user, result=result,
                                                                   data=form.cleaned_data, indicator=indicator))
        if saved:
            messages.success(request, _("Indicator saved."))
            return redirect("programs:indicator_detail", pk=saved.pk)
    return render(request, "programs/indicator_form.html", {"form": form, "result": result, "indicator": indicator,
                                                            "program": result.program})


@login_required
def indicator_detail(request, pk):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    program = indicator.result.program
    can_edit = selectors.can_edit_program(request.user, program)
    can_report = selectors.can_report_indicators(request.user, program) and not indicator.is_computed
    today = timezone.localdate()
    initial = {"period_start": program.start_date, "period_end": program.end_date}
    progress = selectors.indicator_progress(indicator)
    return render(request, "programs/indicator_detail.html", {
        "indicator": indicator, "program": program, "progress": progress,
        "chart": dashboard.with_src(dashboard.indicator_chart(progress), indicator=indicator.pk),
        "targets": indicator.targets.all(), "actuals": indicator.actuals.all(),
        "can_edit": can_edit, "can_report": can_report, "today": today,
        "target_form": TargetForm(indicator=indicator, initial=initial) if can_edit else None,
        "actual_form": ActualForm(indicator=indicator, initial=initial) if can_report else None,
    })


@login_required
@require_POST
def indicator_delete(request, pk):
    policy.require(request.user, EDIT)
    indicator = selectors.indicator_get(user=request.user, pk=pk, action=EDIT)
    program = indicator.result.program
    run(request, None, lambda: services.indicator_delete(actor=request.user, indicator=indicator))
    messages.success(request, _("Indicator deleted."))
    return redirect(f"{program_url(program)}#logframe")


def _period_post(request, pk, *, action, form_class, call, ok):
    policy.require(request.user, action)
    indicator = selectors.indicator_get(user=request.user, pk=pk, action=action)
    form = form_class(request.POST, indicator=indicator)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        data["dimension"] = data.get("dimension") or ""
        data["category"] = (data.get("category") or "").strip()
        if run(request, None, lambda: call(indicator, data)):
            messages.success(request, ok)
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("programs:indicator_detail", pk=indicator.pk)


@login_required
@require_POST
def target_set(request, pk):
    return _period_post(request, pk, action=EDIT, form_class=TargetForm, ok=_("Target saved."),
                        call=lambda ind, d: services.target_set(actor=request.user, indicator=ind, **d))


@login_required
@require_POST
def actual_record(request, pk):
    return _period_post(request, pk, action=REPORT, form_class=ActualForm, ok=_("Actual value saved."),
                        call=lambda ind, d: services.actual_record(actor=request.user, indicator=ind, **d))


@login_required
@require_POST
def target_delete(request, pk):
    policy.require(request.user, EDIT)
    target = policy.get_object(request.user, EDIT, IndicatorTarget.objects.select_related("indicator__result__program"),
                               pk=pk)
    run(request, None, lambda: services.target_delete(actor=request.user, target=target))
    return redirect("programs:indicator_detail", pk=target.indicator_id)


@login_required
@require_POST
def actual_delete(request, pk):
    policy.require(request.user, REPORT)
    actual = policy.get_object(request.user, REPORT, IndicatorActual.objects.select_related("indicator__result__program"),
                               pk=pk)
    run(request, None, lambda: services.actual_delete(actor=request.user, actual=actual))
    return redirect("programs:indicator_detail", pk=actual.indicator_id)


@login_required
def iati_export(request):
    """The IATI 2.03 activities file of the programs in the user's export scope (`?program=` for one)."""
    policy.require(request.user, "programs.iati.export")
    programs = policy.scope_filter(request.user, "programs.iati.export", Program.objects.all())
    program_pk = request.GET.get("program", "")
    if program_pk:
        if not program_pk.isdigit():
            raise Http404
        programs = programs.filter(pk=int(program_pk))
        if not programs.exists():
            raise policy.OutOfScope("programs.iati.export", Program, {"pk": int(program_pk)},
                                    exists=Program.objects.filter(pk=int(program_pk)).exists())
    xml = iati.export(programs)
    audit.record("programs.iati.exported", actor=request.user, payload={"programs": sorted(programs.values_list("pk", flat=True))})
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lindungi-iati-activities.xml"'
    return response


