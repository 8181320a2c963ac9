"""The accompaniment log, the restitution track and LPSK protection requests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindungi.incidents import common
from lindungi.incidents.web import form_page
from lindungi.legal import selectors, services
from lindungi.legal.forms import AccompanimentForm, ProtectionForm, RestitutionForm
from lindungi.legal.models import ProtectionRequest, Restitution
from lindungi.legal.views._common import FORM_TEMPLATE, detail_url, form_context, get_legal_case


@login_required
@require_http_methods(["GET", "POST"])
def accompaniment_add(request, pk):
    legal_case = get_legal_case(request, pk)
    form = AccompanimentForm(request.POST or None, initial={"date": common.today(), "done_by": request.user},
                             staff=selectors.staff_choices(request.user), victims=legal_case.victims.order_by("number"))
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Record an accompaniment")),
                     on_valid=lambda data: services.accompaniment_record(actor=request.user, legal_case=legal_case,
                                                                         data=data),
                     success_message=_("Accompaniment recorded."), success_url=detail_url(legal_case, "timeline"))


@login_required
@require_http_methods(["GET", "POST"])
def restitution_save(request, pk, item_pk=None):
    legal_case = get_legal_case(request, pk)
    item = None
    initial = {"claimed_on": common.today()}
    if item_pk is not None:
        item = selectors.related_get(user=request.user, model=Restitution, pk=item_pk, legal_case=legal_case)
        initial = {name: getattr(item, name) for name in (
            "route", "defendant", "claimed_amount", "claimed_on", "ordered_amount", "ordered_on", "paid_amount",
            "paid_on", "notes")}
    form = RestitutionForm(request.POST or None, initial=initial,
                           defendants=legal_case.defendants.select_related("perpetrator"))
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("Restitution")),
                     on_valid=lambda data: services.restitution_save(actor=request.user, legal_case=legal_case,
                                                                     data=data, restitution=item),
                     success_message=_("Restitution saved."), success_url=detail_url(legal_case, "restitution"))


@login_required
@require_http_methods(["GET", "POST"])
def protection_save(request, pk, item_pk=None):
    legal_case = get_legal_case(request, pk)
    item = None
    initial = {"submitted_on": common.today()}
    if item_pk is not None:
        item = selectors.related_get(user=request.user, model=ProtectionRequest, pk=item_pk, legal_case=legal_case)
        initial = {name: getattr(item, name) for name in (
            "victim", "submitted_on", "protections", "status", "decided_on", "lpsk_reference", "notes")}
    form = ProtectionForm(request.POST or None, initial=initial, victims=legal_case.victims.order_by("number"))
    return form_page(request, form=form, template=FORM_TEMPLATE,
                     context=form_context(legal_case, _("LPSK protection request")),
                     on_valid=lambda data: services.protection_save(actor=request.user, legal_case=legal_case,
                                                                    data=data, request=item),
                     success_message=_("Protection request saved."), success_url=detail_url(legal_case, "protection"))
