"""Pages to manage users, organisations and personal API tokens. Thin: selectors read, services
write, the policy decides.

Sensitive actions (inviting, changing roles, reactivating, creating a token) need a recent
re-authentication. The policy and the object's scope are checked *before* asking for it, so a user
without the right gets 403/404, never a password prompt for something they could not do anyway.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.accounts import forms, selectors, services
from lindungi.accounts.mfa import mfa_required
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.core.policy import Role

PAGE_SIZE = 50


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _show_error(request, form, exc: DomainError) -> None:
    """Put a service's error on the form: on its fields when they exist, else on top."""
    placed = False
    if form is not None:
        for field, errors in exc.fields.items():
            if field in form.fields:
                for error in errors:
                    form.add_error(field, error)
                placed = True
    if not placed:
        if form is not None:
            form.add_error(None, str(exc.message))
        else:
            messages.error(request, str(exc.message))


# --- users --------------------------------------------------------------------------------------

@login_required
def user_list(request):
    policy.require(request.user, "accounts.user.view")
    status = request.GET.get("status", "")
    status = status if status in selectors.USER_STATUSES else ""
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    users = selectors.user_list(user=request.user, status=status, role=role)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {
        "page": page, "status": status, "role": role, "roles": Role.choices,
        "statuses": [("active", _("Active")), ("invited", _("Invited")), ("deactivated", _("Deactivated"))],
        "can_manage": policy.allowed(request.user, "accounts.user.manage"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    policy.require(request.user, "accounts.user.manage")
    return _user_create(request)


@reauthentication_required
def _user_create(request):
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(actor=request.user, base_url=_base_url(request), **form.cleaned_data)
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The invitation has been sent. The link to set a password is valid for "
                                        "a few days; you can send a new one from this page."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("Invite a user")})


@login_required
def user_detail(request, pk):
    target = selectors.user_get(user=request.user, pk=pk)
    return render(request, "accounts/user_detail.html", {
        "target": target,
        "target_roles": [Role(m.role).label for m in target.memberships.all()],
        "mfa_types": selectors.mfa_types(target),
        "mfa_required": mfa_required(target),
        "can_manage": policy.in_scope(request.user, "accounts.user.manage", target),
        "is_self": target.pk == request.user.pk,
    })


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
    form = forms.UserEditForm(request.POST or None, initial={"full_name": target.full_name, "email": target.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The user's details have been saved."))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("Edit user"), "target": target})


@login_required
@require_http_methods(["GET", "POST"])
def user_roles(request, pk):
    target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
    return _user_roles(request, target=target)


@reauthentication_required
def _user_roles(request, *, target):
    current = [m.role for m in target.memberships.all()]
    form = forms.RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(actor=request.user, user=target, roles=form.cleaned_data["roles"])
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The roles have been saved."))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("Change roles"), "target": target})


@login_required
@require_POST
def user_deactivate(request, pk):
    target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
    try:
        services.user_deactivate(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The user has been deactivated and signed out everywhere."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reactivate(request, pk):
    target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
    return _user_reactivate(request, target=target)


@reauthentication_required
def _user_reactivate(request, *, target):
    try:
        services.user_reactivate(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The user has been reactivated."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_resend_invitation(request, pk):
    target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
    try:
        services.user_resend_invitation(actor=request.user, user=target, base_url=_base_url(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("A new invitation has been sent."))
    return redirect("accounts:user_detail", pk=target.pk)


# --- organisations ------------------------------------------------------------------------------

@login_required
def organisation_list(request):
    policy.require(request.user, "accounts.organisation.view")
    organisations = selectors.organisation_list(user=request.user)
    return render(request, "accounts/organisation_list.html", {
        "organisations": organisations,
        "can_create": policy.allowed(request.user, "accounts.organisation.manage"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    policy.require(request.user, "accounts.organisation.manage")
    form = forms.OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The organisation has been created. Invite its first administrator below."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "title": _("New member organisation")})


@login_required
def organisation_detail(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    can_manage = policy.in_scope(request.user, "accounts.organisation.manage", organisation)
    return render(request, "accounts/organisation_detail.html", {
        "organisation": organisation,
        "active_users": organisation.users.filter(is_active=True).count(),
        "can_edit": policy.in_scope(request.user, "accounts.organisation.edit", organisation),
        "can_invite_admin": can_manage and organisation.is_active and not organisation.is_secretariat,
        "can_deactivate": can_manage and organisation.is_active and not organisation.is_secretariat,
        "can_reactivate": can_manage and not organisation.is_active and organisation.shredded_at is None,
        "invite_form": forms.AdministratorInviteForm() if can_manage else None,
        "is_own": organisation.pk == request.user.organisation_id,
        "can_see_users": policy.allowed(request.user, "accounts.user.view"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.edit")
    initial = {f: getattr(organisation, f) for f in services.ORGANISATION_FIELDS}
    form = forms.OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {
        "form": form, "title": _("Edit organisation"), "organisation": organisation,
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite_administrator(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.manage")
    return _organisation_invite_administrator(request, organisation=organisation)


@reauthentication_required
def _organisation_invite_administrator(request, *, organisation):
    form = forms.AdministratorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_invite_administrator(
                actor=request.user, organisation=organisation, base_url=_base_url(request), **form.cleaned_data
            )
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The invitation has been sent to the new administrator."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {
        "form": form, "title": _("Invite an administrator"), "organisation": organisation,
        "submit_label": _("Send invitation"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_deactivate(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.manage")
    return _organisation_deactivate(request, organisation=organisation)


@reauthentication_required
def _organisation_deactivate(request, *, organisation):
    form = forms.OrganisationDeactivateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_deactivate(actor=request.user, organisation=organisation)
        except DomainError as exc:
            _show_error(request, form, exc)
        else:
            messages.success(request, _("The organisation has been deactivated: its users are signed out and cannot "
                                        "sign in."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {
        "form": form, "title": _("Deactivate organisation"), "organisation": organisation,
        "submit_label": _("Deactivate"), "danger": True,
        "intro": _("Its users are signed out at once and can no longer sign in; their API tokens are revoked. Its "
                   "cases, files and statistics stay, readable by nobody, until the organisation is reactivated."),
    })


@login_required
@require_POST
def organisation_reactivate(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.manage")
    return _organisation_reactivate(request, organisation=organisation)


@reauthentication_required
def _organisation_reactivate(request, *, organisation):
    try:
        services.organisation_reactivate(actor=request.user, organisation=organisation)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The organisation has been reactivated: its users can sign in again."))
    return redirect("accounts:organisation_detail", pk=organisation.pk)


# --- personal API tokens ------------------------------------------------------------------------

@login_required
def token_list(request):
    policy.require(request.user, "accounts.token.manage")
    return render(request, "accounts/token_list.html", {"tokens": selectors.token_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request):
    policy.require(request.user, "accounts.token.manage")
    return _token_create(request)


@reauthentication_required
def _token_create(request):
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(actor=request.user, name=form.cleaned_data["name"],
                                                  expires_at=form.expires_at())
        except DomainError as exc:
            if "expires_at" in exc.fields:
                exc.fields["expires_on"] = exc.fields.pop("expires_at")
            _show_error(request, form, exc)
        else:
            # Shown once, on this response only (never stored, never in a URL or a message).
            return render(request, "accounts/token_created.html", {"token": token, "secret": secret})
    return render(request, "accounts/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk):
    token = selectors.token_get(user=request.user, pk=pk)
    try:
        services.token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The token has been revoked."))
    return redirect(reverse("accounts:token_list"))
