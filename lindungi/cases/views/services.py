"""Referrals, services, follow-ups, attachments and the service-provider directory."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lindungi.cases import forms, selectors, services
from lindungi.cases.models import Referral, ServiceProvider, ServiceType
from lindungi.cases.services.attachments import content_disposition_name
from lindungi.cases.services.referrals import referral_basis
from lindungi.cases.views.base import case_url, form_page, get_case
from lindungi.core import policy


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    params = {"province": case.province_id or "", "accepts_referrals": "1"}
    if request.GET.get("all") == "1":
        params = {"accepts_referrals": "1"}
    providers = selectors.provider_list(user=request.user, params=params)
    form = forms.ReferralForm(request.POST or None, providers=selectors.provider_list(
        user=request.user, params={"accepts_referrals": "1"}) if request.method == "POST" else providers,
        initial={"sent_on": timezone.localdate()})
    basis = referral_basis(case)
    return form_page(request, form=form, template="cases/referral_form.html",
                     context={"case": case, "basis": basis, "regional": request.GET.get("all") != "1"},
                     on_valid=lambda c: services.referral_create(actor=request.user, case=case, **c),
                     success_message=_("The referral was recorded."), success_url=case_url(case) + "#referrals")


@login_required
@require_http_methods(["GET", "POST"])
def referral_update(request, pk, referral_pk):
    case = get_case(request, pk, "cases.case.edit")
    referral = Referral.objects.filter(pk=referral_pk, case=case).select_related("provider").first()
    if referral is None:
        raise policy.OutOfScope("cases.case.edit", Referral, {"pk": referral_pk},
                                exists=Referral.objects.filter(pk=referral_pk).exists())
    form = forms.ReferralUpdateForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Update the referral to %(provider)s") % {
                         "provider": referral.provider.name}},
                     on_valid=lambda c: services.referral_update(actor=request.user, case=case, referral=referral, **c),
                     success_message=_("The referral was updated."), success_url=case_url(case) + "#referrals")


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.ServiceForm(request.POST or None, initial={"provided_on": timezone.localdate()})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Record a service we gave")},
                     on_valid=lambda c: services.service_record(actor=request.user, case=case, **c),
                     success_message=_("The service was recorded."), success_url=case_url(case) + "#services")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_new(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.FollowUpForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Record a follow-up")},
                     on_valid=lambda c: services.follow_up_record(actor=request.user, case=case, **c),
                     success_message=_("The follow-up was recorded."), success_url=case_url(case) + "#follow-ups")


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request, pk):
    case = get_case(request, pk, "cases.case.edit")
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Add a file"), "multipart": True},
                     on_valid=lambda c: services.attachment_upload(actor=request.user, case=case, **c),
                     success_message=_("The file was added."), success_url=case_url(case) + "#files")


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    case = get_case(request, pk)
    attachment, data = selectors.attachment_open(user=request.user, pk=attachment_pk)
    if attachment.case_id != case.pk:
        raise policy.OutOfScope("cases.case.view", type(attachment), {"pk": attachment_pk}, exists=True)
    response = HttpResponse(data, content_type=attachment.content_type)
    inline = request.GET.get("inline") == "1" and attachment.content_type.startswith("image/")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{content_disposition_name(attachment)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# --- providers ----------------------------------------------------------------------------------


@login_required
@require_GET
def provider_list(request):
    policy.require(request.user, "cases.provider.view")
    params = {k: request.GET.get(k, "") for k in ("type", "province", "q", "accepts_referrals")}
    providers = selectors.provider_list(user=request.user, params=params)
    page = Paginator(providers, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    from lindungi.geo.models import Region

    return render(request, "cases/provider_list.html", {
        "page": page, "params": params, "types": ServiceType.choices, "query": query.urlencode(),
        "provinces": Region.objects.filter(level="province").order_by("name"),
        "can_manage": policy.allowed(request.user, "cases.provider.manage"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request):
    policy.require(request.user, "cases.provider.manage")
    form = forms.ProviderForm(request.POST or None, initial={"province": request.user.organisation.province_id})
    return form_page(request, form=form, template="cases/form.html",
                     context={"title": _("Add a service provider"), "regions": True},
                     on_valid=lambda c: services.provider_create(
                         actor=request.user, data={k: c[k] for k in forms.ProviderForm.Meta.fields}),
                     success_message=_("The provider was added."), success_url="cases:providers")


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, provider_pk):
    policy.require(request.user, "cases.provider.manage")
    provider = policy.get_object(request.user, "cases.provider.manage", ServiceProvider.objects.all(), pk=provider_pk)
    form = forms.ProviderForm(request.POST or None, instance=ServiceProvider.objects.get(pk=provider.pk))
    return form_page(request, form=form, template="cases/form.html",
                     context={"title": _("Edit a service provider"), "regions": True},
                     on_valid=lambda c: services.provider_update(
                         actor=request.user, provider=provider, data={k: c[k] for k in forms.ProviderForm.Meta.fields}),
                     success_message=_("The provider was saved."), success_url="cases:providers")
