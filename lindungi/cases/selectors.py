"""Reads of the cases app, always scoped through the policy. Reading a case file records
`cases.case.viewed` (and `cases.share.accessed` when the access comes through a share)."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.models import Organisation
from lindungi.audit import services as audit
from lindungi.cases.models import (
    OPEN_STATUSES,
    ActionStatus,
    Approval,
    Attachment,
    Case,
    CasePlanAction,
    CasePlanGoal,
    CaseShare,
    Child,
    Referral,
    ReferralStatus,
    ReviewStatus,
    ServiceProvider,
    ShareStatus,
    Status,
    age_group,
)
from lindungi.cases.services.attachments import read_blob
from lindungi.cases.services.common import (
    assessment_due_days,
    case_plan_due_days,
    referral_response_days,
    today,
)
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.crypto.fields import blind_search

SORTS = {
    "registered": ("registered_on", "number"),
    "-registered": ("-registered_on", "-number"),
    "number": ("number",),
    "-number": ("-number",),
    "status": ("status", "-registered_on"),
    "risk": ("risk_level", "-registered_on"),  # "high" < "low" < "medium" alphabetically: see _risk_order
    "updated": ("-updated_at",),
}
_NUMBER = re.compile(r"^[A-Za-z0-9]{2,8}-\d{4}-\d{1,5}$|^[A-Za-z0-9]{2,8}-\d{4}-?$|^[A-Za-z]{2,8}-$")
# What could still be the beginning of a case number ("SN02", "SN02-20", "SN02-2024-000"): an
# organisation code of letters and digits, no space. Anything else (a full name) is not tried as a
# number prefix: OR-ing that into the name search made PostgreSQL read all the organisation's cases.
_NUMBER_PREFIX = re.compile(r"^[A-Za-z0-9]{1,8}(-(\d{1,4}(-\d{0,5})?)?)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


# --- scopes -------------------------------------------------------------------------------------


def visible_cases(user, action: str = "cases.case.view") -> QuerySet:
    return policy.scope_filter(user, action, Case.objects.all())


def _visible_org_ids(user) -> set[int]:
    """The organisations whose blind indexes a name search must try: mine and those that share
    cases with my organisation."""
    ids = {user.organisation_id}
    if policy.Scope.SHARED in policy.scopes(user, "cases.case.view"):
        # The same read of active shares as the SHARED scope's (one query inside `read_once`).
        ids.update(CaseShare.objects.organisation_ids_sharing_with(user.organisation_id))
    return ids


def organisations_in_reach(user, action: str) -> list[int]:
    """The organisations whose `action` records the user can see at all: every one with a network
    scope, else the user's own and those that share cases with it. A superset of what the scope
    shows, to give a subquery the organisation its (organisation, number) index needs."""
    if policy.Scope.NETWORK in policy.scopes(user, action):
        return sorted(Organisation.objects.values_list("pk", flat=True))
    return sorted({user.organisation_id, *CaseShare.objects.organisation_ids_sharing_with(user.organisation_id)})


def numbered_like(user, prefix: str, action: str) -> QuerySet | None:
    """The cases whose number starts with `prefix`, for the incident and legal case searches by a
    linked case's number (a subquery: the caller's own scope decides which of its records show).
    Records link only cases of their own organisation, so limiting the cases to the organisations
    in reach of `action` loses nothing visible. None: the text cannot begin a case number."""
    prefix = " ".join((prefix or "").split()).upper()
    if not _NUMBER_PREFIX.match(prefix):
        return None
    return Case.objects.filter(organisation_id__in=organisations_in_reach(user, action),
                               number__startswith=prefix).values("pk")


# --- list, search -------------------------------------------------------------------------------


def overdue_q(day: datetime.date | None = None) -> Q:
    """Cases with an overdue task; the same rules as `task_list`."""
    day = day or today()
    return (
        Q(status__in=[Status.REGISTERED, Status.ASSESSMENT],
          registered_on__lt=day - datetime.timedelta(days=assessment_due_days()))
        | Q(status=Status.CASE_PLAN, status_changed_on__lt=day - datetime.timedelta(days=case_plan_due_days()))
        | Q(status__in=OPEN_STATUSES, next_follow_up_on__lt=day)
        | Q(Exists(Referral.objects.filter(case_id=OuterRef("pk"), status=ReferralStatus.SENT,
                                           sent_on__lt=day - datetime.timedelta(days=referral_response_days()))))
    )


def parse_search_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE_DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    return None


def search_q(user, text: str) -> Q:
    """Case number (plain column), NIK, birth date or full name (blind indexes)."""
    text = " ".join((text or "").split())
    if not text:
        return Q()
    if _NUMBER.match(text):
        return Q(number__startswith=text.upper())
    org_ids = _visible_org_ids(user)

    def child_ids(index_name, value):
        # Candidates are decrypted and compared on the index's sources only: read just those.
        sources = Child._meta.get_field(index_name).sources
        children = Child.objects.filter(organisation_id__in=org_ids).only("id", "organisation_id", *sources)
        return [c.pk for c in blind_search(children, index_name, org_ids, value)]

    digits = text.replace(" ", "")
    if digits.isdigit():
        if len(digits) == 16:
            return Q(child_id__in=child_ids("nik_index", digits))
        return Q(number__endswith="-" + digits.zfill(5)) | Q(number__endswith=digits)
    born = parse_search_date(text)
    if born is not None:
        return Q(child_id__in=child_ids("birth_date_index", born))
    ids = child_ids("name_index", text)
    if _NUMBER_PREFIX.match(text):
        return Q(child_id__in=ids) | Q(number__startswith=text.upper())
    return Q(child_id__in=ids)


@dataclass
class CaseFilters:
    status: str = ""
    risk: str = ""
    assigned_to: str = ""  # "me", "none" or a user id
    province: str = ""
    regency: str = ""
    registered_from: datetime.date | None = None
    registered_to: datetime.date | None = None
    overdue: bool = False
    open_only: bool = False
    q: str = ""
    sort: str = "-registered"

    @classmethod
    def from_params(cls, params) -> CaseFilters:
        def date(name):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise DomainError(_("Enter a valid date."), fields={name: [str(_("Enter a valid date."))]}) from None

        def flag(name):
            return (params.get(name) or "").lower() in ("1", "true", "yes", "on")

        return cls(
            status=(params.get("status") or "").strip(), risk=(params.get("risk") or "").strip(),
            assigned_to=(params.get("assigned_to") or "").strip(), province=(params.get("province") or "").strip(),
            regency=(params.get("regency") or "").strip(), registered_from=date("registered_from"),
            registered_to=date("registered_to"), overdue=flag("overdue"), open_only=flag("open"),
            q=(params.get("q") or "").strip()[:100], sort=(params.get("sort") or "-registered").strip(),
        )


# What a row of the case list shows (web page and API list): the columns read for the page, so
# that the encrypted narrative, notes and the child's other encrypted fields are not transferred
# for rows that never show them. The child's organisation is the decryption context of its name.
LIST_COLUMNS = (
    "id", "organisation_id", "number", "child_id", "registered_on", "status", "risk_level", "sex", "age_years",
    "closure_reason", "province_id", "regency_id", "assigned_caseworker_id",
    "child__id", "child__organisation_id", "child__full_name",
    "assigned_caseworker__id", "assigned_caseworker__full_name",
    "province__code", "province__name", "regency__code", "regency__name",
)


def case_list(*, user, filters: CaseFilters | None = None, action: str = "cases.case.view") -> QuerySet:
    """The user's cases (assigned for caseworkers, the organisation's for supervisors, plus those
    shared with the organisation), filtered and sorted. Rows carry their child (for the name of the
    rows on the page shown only), caseworker and regions in the same query. For the list (the
    view action) rows hold only `LIST_COLUMNS`; exports (their own actions) read whole rows."""
    filters = filters or CaseFilters()
    # The scope and a search both need the active shares to the organisation: read them once.
    with CaseShare.objects.read_once():
        return _case_list(user, filters, action)


def _case_list(user, filters: CaseFilters, action: str) -> QuerySet:
    qs = visible_cases(user, action).for_list()
    if action == "cases.case.view":
        qs = qs.only(*LIST_COLUMNS)
    if filters.status:
        if filters.status not in Status.values:
            raise DomainError(_("Unknown status."), fields={"status": [str(_("Unknown status."))]})
        qs = qs.filter(status=filters.status)
    if filters.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.risk:
        qs = qs.filter(risk_level=filters.risk)
    if filters.assigned_to == "me":
        qs = qs.filter(assigned_caseworker_id=user.pk)
    elif filters.assigned_to == "none":
        qs = qs.filter(assigned_caseworker__isnull=True)
    elif filters.assigned_to.isdigit():
        qs = qs.filter(assigned_caseworker_id=int(filters.assigned_to))
    if filters.regency:
        qs = qs.filter(regency_id=filters.regency)
    elif filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.registered_from:
        qs = qs.filter(registered_on__gte=filters.registered_from)
    if filters.registered_to:
        qs = qs.filter(registered_on__lte=filters.registered_to)
    if filters.overdue:
        qs = qs.filter(overdue_q())
    if filters.q:
        qs = qs.filter(search_q(user, filters.q))
    order = SORTS.get(filters.sort, SORTS["-registered"])
    return qs.order_by(*order)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One row of the case list page, built from plain values: a page shows 25 rows and building
    their Case, Child, User and two Region instances cost more than reading them."""

    pk: object
    number: str
    organisation_id: int
    registered_on: datetime.date
    status: str
    risk_level: str
    child_name: str | None  # None: a transferred case's stub, whose child stays with the sender
    region_name: str  # the regency, else the province, else ""
    caseworker_name: str  # "" when nobody is assigned
    url: str

    def get_status_display(self) -> str:
        return Status(self.status).label if self.status in Status.values else self.status


_CHILD_NAME_VALUES = ("child_id", "child__organisation_id", "child__full_name")


def _values_with_child_name(queryset: QuerySet, columns: tuple[str, ...]):
    """(the values of `columns`, the child's name) for each case of a page's slice, in one query
    and in the same order; the name is decrypted for these rows only (None for a transferred
    case's stub)."""
    name_field = Child._meta.get_field("full_name")
    for *values, child_id, child_org_id, child_name in queryset.values_list(*columns, *_CHILD_NAME_VALUES):
        if child_name:
            child_name = name_field.open_stored(child_name, pk=child_id, organisation_id=child_org_id)
        yield values, child_name


_ROW_VALUES = ("id", "number", "organisation_id", "registered_on", "status", "risk_level", "regency__name",
               "province__name", "assigned_caseworker__full_name")


def case_list_rows(queryset: QuerySet) -> list[CaseRow]:
    """The rows of one page of `case_list(...)` (sliced to the page): the same cases in the same
    order, with the child's name decrypted for these rows only."""
    return [
        CaseRow(pk=pk, number=number, organisation_id=organisation_id, registered_on=registered_on, status=status,
                risk_level=risk, child_name=child_name, region_name=regency_name or province_name or "",
                caseworker_name=caseworker_name or "", url=case_detail_url(pk))
        for (pk, number, organisation_id, registered_on, status, risk, regency_name, province_name, caseworker_name),
        child_name in _values_with_child_name(queryset, _ROW_VALUES)
    ]


@dataclass(frozen=True, slots=True)
class UserRef:
    """A user as the API shows one in a row (serializers.UserRefSerializer's fields)."""

    id: int
    full_name: str


@dataclass(frozen=True, slots=True)
class CaseApiRow:
    """One row of the API's case list, from plain values like `CaseRow`. Its attributes are named
    as the Case's, so the list's serializer reads a row as it reads a case."""

    id: object
    number: str
    organisation_id: int
    registered_on: datetime.date
    status: str
    risk_level: str
    sex: str
    age_years: int | None
    age_group: str  # as Case.age_group
    province_id: str | None
    regency_id: str | None
    closure_reason: str
    assigned_caseworker: UserRef | None
    child_name: str | None  # None: a transferred case's stub


_API_ROW_VALUES = ("id", "number", "organisation_id", "registered_on", "status", "risk_level", "sex", "age_years",
                   "province_id", "regency_id", "closure_reason", "assigned_caseworker_id",
                   "assigned_caseworker__full_name")


def case_api_rows(queryset: QuerySet) -> list[CaseApiRow]:
    """`case_list_rows` for the API list (`serializers.CaseListSerializer`'s fields)."""
    rows = _values_with_child_name(queryset, _API_ROW_VALUES)
    return [
        CaseApiRow(id=pk, number=number, organisation_id=organisation_id, registered_on=registered_on,
                   status=status, risk_level=risk, sex=sex, age_years=age_years, age_group=age_group(age_years),
                   province_id=province_id, regency_id=regency_id, closure_reason=closure_reason,
                   assigned_caseworker=UserRef(caseworker_id, caseworker_name) if caseworker_id is not None else None,
                   child_name=child_name)
        for (pk, number, organisation_id, registered_on, status, risk, sex, age_years, province_id, regency_id,
             closure_reason, caseworker_id, caseworker_name), child_name in rows
    ]


_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@functools.lru_cache(maxsize=16)
def _case_url_pattern(script_prefix: str) -> str:
    return reverse("cases:detail", args=[_PLACEHOLDER_ID])


def case_detail_url(case_id) -> str:
    """The case page's URL. Lists and the tasks engine show hundreds of links: one reverse() per
    script prefix, not one per row."""
    return _case_url_pattern(get_script_prefix()).replace(_PLACEHOLDER_ID, str(case_id))


def staff_choices(user, role: str):
    """Active users of the user's organisation with a role (for assignment pickers and filters)."""
    from lindungi.accounts.models import User

    # Pickers show names (or e-mail addresses): the rest of a user's row, password hash included, is not read.
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True,
                               memberships__role=role).only("id", "full_name", "email").order_by("full_name").distinct()


# --- one case -----------------------------------------------------------------------------------


def case_get(*, user, pk, action: str = "cases.case.view", record_view: bool = True) -> Case:
    """The case if the user may `action` it (else OutOfScope, 404). A page showing it records
    `cases.case.viewed`; any access through a share records `cases.share.accessed`."""
    case = policy.get_object(user, action, Case.objects.select_related(
        "child", "organisation", "assigned_caseworker", "supervisor", "province", "regency",
        "child__province", "child__regency", "child__district"), pk=pk)
    payload = {}
    if case.organisation_id != user.organisation_id:
        # Every access through a share is audited, whatever part of the case is read.
        share = CaseShare.objects.active().filter(case=case, to_organisation_id=user.organisation_id).first()
        payload["share_id"] = str(share.pk) if share else None
        audit.record("cases.share.accessed", actor=user, obj=share, organisation=user.organisation_id,
                     payload={"case_id": str(case.pk), "action": action})
    if record_view:
        audit.record("cases.case.viewed", actor=user, obj=case, payload=payload)
    return case


def related_get(*, user, model, pk, action: str = "cases.case.view"):
    """A record of a case (assessment, referral, ...) if its case is in the user's scope for
    `action`; otherwise OutOfScope (404), audited when the record exists."""
    case_path = "goal__plan__case" if model is CasePlanAction else "case"
    try:
        return model.objects.select_related(case_path).get(pk=pk, **{f"{case_path}__in": visible_cases(user, action)})
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        try:
            exists = model.objects.filter(pk=pk).exists()
        except (ValueError, TypeError, ValidationError):
            exists = False
        raise policy.OutOfScope(action, model, {"pk": pk}, exists=exists) from None


@dataclass
class DueItem:
    kind: str
    label: str
    due_on: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due_on < today()


def next_due(case: Case, *, referrals=None, plans=None) -> list[DueItem]:
    """What is due in this case, soonest first (the top of the case page)."""
    items = []
    if case.status in (Status.REGISTERED, Status.ASSESSMENT):
        items.append(DueItem("assessment", _("Assessment"), case.registered_on + datetime.timedelta(days=assessment_due_days())))
    if case.status == Status.CASE_PLAN:
        items.append(DueItem("case_plan", _("Case plan"), case.status_changed_on + datetime.timedelta(days=case_plan_due_days())))
    if case.is_open and case.next_follow_up_on:
        items.append(DueItem("follow_up", _("Follow-up"), case.next_follow_up_on))
    for referral in referrals if referrals is not None else case.referrals.filter(status=ReferralStatus.SENT):
        if referral.status == ReferralStatus.SENT:
            items.append(DueItem("referral", _("Response to referral"),
                                 referral.sent_on + datetime.timedelta(days=referral_response_days())))
    if case.is_open:
        for plan in plans if plans is not None else []:
            if plan.status != ReviewStatus.APPROVED:
                continue
            for goal in plan.goals.all():
                for action in goal.actions.all():
                    if action.due_on and action.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
                        items.append(DueItem("action", _("Case plan action"), action.due_on))
    return sorted(items, key=lambda item: item.due_on)


def case_page(*, user, case: Case) -> dict:
    """Everything shown on the case page, in a fixed number of queries."""
    plans = list(case.plans.select_related("created_by").prefetch_related(
        Prefetch("goals", queryset=CasePlanGoal.objects.order_by("position").prefetch_related("actions"))))
    referrals = list(case.referrals.select_related("provider", "created_by"))
    child = case.child
    return {
        "case": case,
        "child": child,
        "caregivers": list(child.caregivers.all()) if child else [],
        "consents": list(case.consents.select_related("recorded_by")),
        "assessments": list(case.assessments.select_related("created_by")),
        "plans": plans,
        "approvals": list(case.approvals.select_related("requested_by", "decided_by")),
        "referrals": referrals,
        "services": list(case.services.select_related("provided_by")),
        "follow_ups": list(case.follow_ups.select_related("done_by")),
        "attachments": list(case.attachments.select_related("uploaded_by")),
        "shares": list(case.shares.select_related("to_organisation", "organisation", "requested_by"))
        if case.organisation_id == user.organisation_id else [],
        "events": list(case.events.select_related("actor")[:200]),
        "due": next_due(case, referrals=referrals, plans=plans),
        "team": list(case.team.filter(removed_at__isnull=True).select_related("user")),
    }


def attachment_open(*, user, pk) -> tuple[Attachment, bytes]:
    """Decrypt an attachment for download; audited."""
    attachment = related_get(user=user, model=Attachment, pk=pk)
    data = read_blob(attachment)
    audit.record("cases.attachment.downloaded", actor=user, obj=attachment,
                 payload={"case_id": str(attachment.case_id), "kind": attachment.kind})
    return attachment, data


# --- approvals, shares, providers ---------------------------------------------------------------


def pending_approvals(*, user) -> QuerySet:
    cases = visible_cases(user, "cases.case.approve")
    return (Approval.objects.filter(status=ReviewStatus.SUBMITTED, case__in=cases)
            .select_related("case", "requested_by").order_by("requested_at"))


def share_list(*, user) -> dict:
    """Requests to approve (my organisation sends), to answer (sent to my organisation), and the
    active shares in both directions."""
    org = user.organisation_id
    base = CaseShare.objects.select_related("case", "organisation", "to_organisation", "requested_by")
    result = {"to_approve": [], "to_answer": [], "outgoing": [], "incoming": []}
    if policy.allowed(user, "cases.case.transfer_approve"):
        result["to_approve"] = list(base.filter(organisation_id=org, status=ShareStatus.REQUESTED))
    if policy.allowed(user, "cases.transfer.receive"):
        result["to_answer"] = list(base.filter(to_organisation_id=org, status=ShareStatus.APPROVED))
        result["incoming"] = list(base.active().filter(to_organisation_id=org, kind="share"))
    if policy.allowed(user, "cases.share.view"):
        result["outgoing"] = list(policy.scope_filter(user, "cases.share.view", base.filter(organisation_id=org))
                                  .order_by("-requested_at")[:100])
    return result


def share_get(*, user, pk) -> CaseShare:
    qs = CaseShare.objects.select_related("case", "organisation", "to_organisation")
    if policy.allowed(user, "cases.share.view"):
        return policy.get_object(user, "cases.share.view", qs, pk=pk)
    raise policy.PolicyDenied("cases.share.view")


def provider_list(*, user, params=None) -> QuerySet:
    params = params or {}
    qs = policy.scope_filter(user, "cases.provider.view", ServiceProvider.objects.select_related("province", "regency"))
    if params.get("inactive") not in ("1", "true"):
        qs = qs.filter(is_active=True)
    if params.get("type"):
        qs = qs.filter(type=params["type"])
    if params.get("regency"):
        qs = qs.filter(Q(regency_id=params["regency"]) | Q(regency__isnull=True, province_id=params["regency"].split(".")[0]))
    elif params.get("province"):
        qs = qs.filter(province_id=params["province"])
    if params.get("accepts_referrals") in ("1", "true"):
        qs = qs.filter(accepts_referrals=True)
    if params.get("q"):
        qs = qs.filter(name__icontains=params["q"][:100])
    return qs.order_by("province_id", "name")
