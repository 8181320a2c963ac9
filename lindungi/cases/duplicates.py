"""Possible duplicates at registration (same normalised name and birth year, or same NIK).

Within the organisation the matching cases are shown. Across the network only the organisation
is named ("a possible match exists at organisation X — contact its supervisor"): the other
organisation's rows are matched on the network-wide blind index alone and never decrypted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lindungi.accounts.models import Organisation
from lindungi.cases.models import Case, Child
from lindungi.crypto.fields import blind_search, index_value


@dataclass
class Duplicates:
    local: list[Case] = field(default_factory=list)
    network: list[Organisation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.local or self.network)

    def messages(self) -> list[str]:
        return [
            _("Possible duplicate in your organisation: case %(number)s (%(status)s).")
            % {"number": case.number, "status": case.get_status_display()}
            for case in self.local
        ] + [network_message(org) for org in self.network]

    def payload(self) -> dict:
        """For the audit trail: ids only."""
        return {"local_case_ids": [str(c.pk) for c in self.local], "network_organisation_ids": [o.pk for o in self.network]}


def network_message(org) -> str:
    return _("A possible match exists at organisation %(name)s (%(code)s) — contact its supervisor.") % {
        "name": org.name, "code": org.code}


def find_duplicates(organisation, *, full_name: str | None, birth_date=None, nik: str | None = None,
                    exclude_child_id=None) -> Duplicates:
    org_id = organisation.pk
    children = Child.objects.filter(organisation_id=org_id)
    if exclude_child_id:
        children = children.exclude(pk=exclude_child_id)
    matches = {}
    if full_name and birth_date:
        for child in blind_search(children, "name_year_index", [org_id], full_name, birth_date):
            matches[child.pk] = child
    if nik:
        for child in blind_search(children, "nik_index", [org_id], nik):
            matches[child.pk] = child
    local = list(Case.objects.filter(child_id__in=matches).order_by("-registered_on")) if matches else []

    network_q = []
    digest = index_value(Child, "network_name_year_index", None, full_name, birth_date) if full_name and birth_date else None
    if digest:
        network_q.append(("network_name_year_index", digest))
    nik_digest = index_value(Child, "network_nik_index", None, nik) if nik else None
    if nik_digest:
        network_q.append(("network_nik_index", nik_digest))
    org_ids = set()
    for column, value in network_q:
        org_ids.update(
            Child.objects.filter(**{column: value}).exclude(organisation_id=org_id)
            .values_list("organisation_id", flat=True).distinct()
        )
    network = list(Organisation.objects.filter(pk__in=org_ids).order_by("name")) if org_ids else []
    return Duplicates(local=local, network=network)
