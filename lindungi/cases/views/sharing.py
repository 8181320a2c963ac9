"""Shares and transfers between member organisations."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindungi.cases import forms, selectors, services
from lindungi.cases.views.base import case_url, form_page, get_case
from lindungi.core import policy
from lindungi.core.errors import DomainError


@login_required
@require_GET
def share_list(request):
    policy.require(request.user, "cases.share.view")
    return render(request, "cases/shares.html", selectors.share_list(user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def share_request(request, pk):
    case = get_case(request, pk, "cases.case.transfer")
    form = forms.ShareRequestForm(request.POST or None, organisation=request.user.organisation,
                                  initial={"kind": "share"})
    return form_page(request, form=form, template="cases/form.html",
                     context={"case": case, "title": _("Share or transfer the case"),
                              "warning": None if case.sharing_consent else _(
                                  "There is no active consent to share this case with the network: the request "
                                  "will be refused.")},
                     on_valid=lambda c: services.share_request(actor=request.user, case=case, **c),
                     success_message=_("The request was sent to the supervisor for approval."),
                     success_url=case_url(case) + "#sharing")


def _share(request, pk, action):
    policy.require(request.user, action)
    return selectors.share_get(user=request.user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def share_approve(request, share_pk):
    """The sending supervisor approves: re-authentication first (cross-organisation sharing)."""
    share = _share(request, share_pk, "cases.case.transfer_approve")
    policy.require_object(request.user, "cases.case.transfer_approve", share.case)
    return _share_approve(request, share)


@reauthentication_required
def _share_approve(request, share):
    form = forms.CommentsForm(request.POST or None)
    if request.method == "POST" and "reject" in request.POST:
        return form_page(request, form=form, template="cases/share_decide.html", context={"share": share, "side": "send"},
                         on_valid=lambda c: services.share_reject(actor=request.user, share=share, comments=c["comments"]),
                         success_message=_("The request was rejected."), success_url="cases:shares")
    return form_page(request, form=form, template="cases/share_decide.html", context={"share": share, "side": "send"},
                     on_valid=lambda c: services.share_approve(actor=request.user, share=share, comments=c["comments"]),
                     success_message=_("Approved. The receiving organisation can now accept it."),
                     success_url="cases:shares")


@login_required
@require_http_methods(["GET", "POST"])
def share_answer(request, share_pk):
    """The receiving organisation accepts or declines."""
    share = _share(request, share_pk, "cases.transfer.receive")
    if share.to_organisation_id != request.user.organisation_id:
        raise policy.OutOfScope("cases.transfer.receive", type(share), {"pk": share_pk}, exists=True)
    form = forms.CommentsForm(request.POST or None)
    if request.method == "POST" and "decline" in request.POST:
        return form_page(request, form=form, template="cases/share_decide.html",
                         context={"share": share, "side": "receive"},
                         on_valid=lambda c: services.share_decline(actor=request.user, share=share,
                                                                   comments=c["comments"]),
                         success_message=_("The request was declined."), success_url="cases:shares")

    def accept(cleaned):
        return services.share_accept(actor=request.user, share=share)

    return form_page(request, form=form, template="cases/share_decide.html", context={"share": share, "side": "receive"},
                     on_valid=accept, success_message=_("Accepted."), success_url=lambda result: case_url(result.case))


@login_required
@require_POST
def share_revoke(request, share_pk):
    share = _share(request, share_pk, "cases.case.share")
    policy.require_object(request.user, "cases.case.share", share.case)
    try:
        services.share_revoke(actor=request.user, share=share)
        messages.success(request, _("The share was revoked."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cases:shares")
