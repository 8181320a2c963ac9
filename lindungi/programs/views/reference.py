"""Donors, partners, reference lists, and successes / lessons / challenges."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.core import policy
from lindungi.programs import selectors, services
from lindungi.programs.forms import DonorForm, LearningForm, PartnerForm, reference_form
from lindungi.programs.models import (
    ActivityType,
    AgeGroup,
    Country,
    Currency,
    Donor,
    LearningEntry,
    Partner,
    Program,
    StakeholderGroup,
)
from lindungi.programs.views._common import run, year_param

VIEW, EDIT, REFERENCE = "programs.program.view", "programs.program.edit", "programs.reference.manage"

REFERENCE_LISTS = {
    "activity-types": (ActivityType, gettext_lazy("Activity types")),
    "stakeholder-groups": (StakeholderGroup, gettext_lazy("Stakeholder groups")),
    "age-groups": (AgeGroup, gettext_lazy("Age groups")),
    "currencies": (Currency, gettext_lazy("Currencies")),
    "countries": (Country, gettext_lazy("Countries")),
}


@login_required
def learning_list(request):
    policy.require(request.user, VIEW)
    year = year_param(request)
    entries = selectors.learning_list(user=request.user, year=year)
    return render(request, "programs/learning_list.html", {
        "entries": entries, "year": year,
        "years": sorted(set(LearningEntry.objects.values_list("year", flat=True)), reverse=True),
        "can_add": policy.allowed(request.user, EDIT, policy.Scope.ORGANISATION),
        "editable": set(policy.scope_filter(request.user, EDIT, entries).values_list("pk", flat=True)),
    })


def _learning_programs(user):
    return Program.objects.filter(pk__in=selectors.programs_for_recording(user).values("pk")) | \
        policy.scope_filter(user, EDIT, Program.objects.all())


@login_required
@require_http_methods(["GET", "POST"])
def learning_form(request, pk=None):
    policy.require(request.user, EDIT, policy.Scope.ORGANISATION)
    entry = policy.get_object(request.user, EDIT, LearningEntry.objects.all(), pk=pk) if pk else None
    initial = {}
    if entry is None and request.GET.get("program", "").isdigit():
        initial["program"] = request.GET["program"]
    form = LearningForm(request.POST or None, instance=entry, programs=_learning_programs(request.user).distinct(),
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        if run(request, form, lambda: services.learning_save(actor=request.user, data=form.cleaned_data, entry=entry)):
            messages.success(request, _("Saved."))
            return redirect("programs:learning_list")
    return render(request, "programs/simple_form.html", {
        "form": form, "title": _("Success, lesson or challenge"), "back": "programs:learning_list"})


@login_required
@require_POST
def learning_delete(request, pk):
    policy.require(request.user, EDIT)
    entry = policy.get_object(request.user, EDIT, LearningEntry.objects.all(), pk=pk)
    run(request, None, lambda: services.learning_delete(actor=request.user, entry=entry))
    messages.success(request, _("Deleted."))
    return redirect("programs:learning_list")


@login_required
def donor_list(request):
    policy.require(request.user, VIEW)
    return render(request, "programs/donor_list.html", {
        "donors": selectors.donor_list(user=request.user), "partners": selectors.partner_list(user=request.user),
        "can_edit": policy.allowed(request.user, EDIT)})


def _simple_save(request, *, form, save, title):
    if request.method == "POST" and form.is_valid():
        if run(request, form, lambda: save(form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("programs:donor_list")
    return render(request, "programs/simple_form.html", {"form": form, "title": title, "back": "programs:donor_list"})


@login_required
@require_http_methods(["GET", "POST"])
def donor_form(request, pk=None):
    policy.require(request.user, EDIT)
    donor = policy.get_object(request.user, VIEW, Donor.objects.all(), pk=pk) if pk else None
    return _simple_save(request, form=DonorForm(request.POST or None, instance=donor), title=_("Donor"),
                        save=lambda data: services.donor_save(actor=request.user, data=data, donor=donor))


@login_required
@require_http_methods(["GET", "POST"])
def partner_form(request, pk=None):
    policy.require(request.user, EDIT)
    partner = policy.get_object(request.user, VIEW, Partner.objects.all(), pk=pk) if pk else None
    return _simple_save(request, form=PartnerForm(request.POST or None, instance=partner), title=_("Partner"),
                        save=lambda data: services.partner_save(actor=request.user, data=data, partner=partner))


@login_required
def reference_index(request):
    policy.require(request.user, REFERENCE)
    lists = [{"slug": slug, "label": label, "count": model.objects.count()}
             for slug, (model, label) in REFERENCE_LISTS.items()]
    return render(request, "programs/reference_index.html", {"lists": lists})


@login_required
@require_http_methods(["GET", "POST"])
def reference_list(request, kind, pk=None):
    """A reference list with a form to add an item (or to edit `pk`)."""
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
    if request.method == "POST" and form.is_valid():
        if run(request, form, lambda: services.reference_save(actor=request.user, model=model, data=form.cleaned_data,
                                                              instance=instance)):
            messages.success(request, _("Saved."))
            return redirect("programs:reference_list", kind=kind)
    return render(request, "programs/reference_list.html", {
        "kind": kind, "label": label, "items": model.objects.all(), "form": form, "instance": instance})
