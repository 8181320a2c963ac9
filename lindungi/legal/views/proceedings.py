"""Charges, suspects and defendants, verdicts, appeals and hearings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.incidents.web import form_page, post_action
from lindungi.legal import selectors, services
from lindungi.legal.forms import AppealForm, ChargeForm, DefendantForm, HearingForm, VerdictForm
from lindungi.legal.models import Charge, Defendant, Hearing, Verdict, VerdictLevel
from lindungi.legal.views._common import FORM_TEMPLATE, detail_url, form_context, get_legal_case


@login_required
@require_http_methods(["GET", "POST"])
def charge_add(request, pk):
    legal_case = get_legal_case(request, pk)
    form = ChargeForm(request.POST or None, defendants=legal_case.defendants.select_related("perpetrator"))
    return form_page(request, form=form, template=FORM_TEMPLATE, context=form_context(legal_case, _("Add a charge")),
                     on_valid=lambda data: services.charge_add(actor=request.user, legal_case=legal_case,
                                                               article=data["article"], defendant=data["defendant"]),
                     success_message=_("Charge added."), success_url=detail_url(legal_case, "defendants"))


@login_required
@require_POST
def charge_remove(request, pk, charge_pk):
    legal_case = get_legal_case(request, pk)
    charge = selectors.related_get(user=request.user, model=Charge, pk=charge_pk, legal_case=legal_case)
    return post_action(request, lambda: services.charge_remove(actor=request.user, charge=charge),
                       _("Charge removed."), detail_url(legal_case, "defendants"))


@login_required
@require_http_methods(["GET", "POST"])
def defendant_add(request, pk):
    legal_case = get_legal_case(request, pk)
    form = DefendantForm(request.POST or None, perpetrators=selectors.candidate_perpetrators(legal_case))
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Add a suspect or defendant"),
                                          help=_("Suspects are chosen among the identified perpetrators of the "
                                                 "legal case's incidents.")),
                     on_valid=lambda data: services.defendant_add(actor=request.user, legal_case=legal_case,
                                                                  perpetrator=data["perpetrator"],
                                                                  data=form.service_data()),
                     success_message=_("Suspect added."), success_url=detail_url(legal_case, "defendants"))


@login_required
@require_http_methods(["GET", "POST"])
def defendant_edit(request, pk, defendant_pk):
    legal_case = get_legal_case(request, pk)
    defendant = selectors.related_get(user=request.user, model=Defendant, pk=defendant_pk, legal_case=legal_case)
    initial = {name: getattr(defendant, name) for name in ("named_suspect_on", "detained", "detained_on", "notes")}
    form = DefendantForm(request.POST or None, initial=initial)
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, defendant.perpetrator.display_name),
                     on_valid=lambda data: services.defendant_update(actor=request.user, defendant=defendant,
                                                                     data=form.service_data()),
                     success_message=_("Saved."), success_url=detail_url(legal_case, "defendants"))


@login_required
@require_http_methods(["GET", "POST"])
def verdict_record(request, pk, defendant_pk):
    legal_case = get_legal_case(request, pk)
    defendant = selectors.related_get(user=request.user, model=Defendant, pk=defendant_pk, legal_case=legal_case)
    level = request.POST.get("level") or request.GET.get("level") or VerdictLevel.FIRST_INSTANCE
    existing = Verdict.objects.filter(defendant=defendant, level=level).first()
    initial = {"level": level, "court": legal_case.court}
    if existing:
        initial.update({name: getattr(existing, name) for name in (
            "court", "decided_on", "outcome", "prison_months", "fine", "restitution_ordered", "decision_number",
            "notes")})
    form = VerdictForm(request.POST or None, initial=initial)
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Verdict: %(name)s") % {
                         "name": defendant.perpetrator.display_name}),
                     on_valid=lambda data: services.verdict_record(actor=request.user, defendant=defendant,
                                                                   level=data["level"], data=form.service_data()),
                     success_message=_("Verdict recorded."), success_url=detail_url(legal_case, "defendants"))


@login_required
@require_http_methods(["GET", "POST"])
def appeal_record(request, pk, defendant_pk):
    legal_case = get_legal_case(request, pk)
    defendant = selectors.related_get(user=request.user, model=Defendant, pk=defendant_pk, legal_case=legal_case)
    form = AppealForm(request.POST or None, initial={"level": request.GET.get("level") or "appeal"})
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Appeal: %(name)s") % {
                         "name": defendant.perpetrator.display_name}),
                     on_valid=lambda data: services.appeal_record(actor=request.user, defendant=defendant, **data),
                     success_message=_("Filing recorded."), success_url=detail_url(legal_case, "defendants"))


@login_required
@require_http_methods(["GET", "POST"])
def hearing_save(request, pk, hearing_pk=None):
    legal_case = get_legal_case(request, pk)
    hearing = None
    initial = {"court": legal_case.court, "accompanied_by": request.user}
    if hearing_pk is not None:
        hearing = selectors.related_get(user=request.user, model=Hearing, pk=hearing_pk, legal_case=legal_case)
        initial = {name: getattr(hearing, name) for name in (
            "date", "time", "court", "agenda", "status", "accompanied_by", "outcome")}
    form = HearingForm(request.POST or None, initial=initial, staff=selectors.staff_choices(request.user))
    title = _("Schedule a hearing") if hearing is None else _("Hearing of %(date)s") % {
        "date": hearing.date.isoformat()}
    return form_page(request, form=form, template=FORM_TEMPLATE, context=form_context(legal_case, title),
                     on_valid=lambda data: services.hearing_save(actor=request.user, legal_case=legal_case,
                                                                 data=data, hearing=hearing),
                     success_message=_("Hearing saved."), success_url=detail_url(legal_case, "hearings"))
