"""What the incidents app asks of the legal app, without importing it at module level (the legal
app builds on incidents, not the other way round)."""

from __future__ import annotations

from django.apps import apps


def _legal_installed() -> bool:
    return apps.is_installed("lindungi.legal")


def legal_cases_using_victim(incident, case) -> list[str]:
    """Numbers of the legal cases linked to `incident` in which `case`'s child is a victim."""
    if not _legal_installed():
        return []
    LegalCase = apps.get_model("legal", "LegalCase")
    return list(LegalCase.objects.filter(incident_links__incident=incident, victim_links__case=case)
                .values_list("number", flat=True).distinct())


def legal_cases_using_perpetrator(perpetrator) -> list[str]:
    """Numbers of the legal cases in which `perpetrator` is a suspect or defendant."""
    if not _legal_installed():
        return []
    LegalCase = apps.get_model("legal", "LegalCase")
    return list(LegalCase.objects.filter(defendants__perpetrator=perpetrator).values_list("number", flat=True)
                .distinct())


def legal_cases_of_incident(incident):
    if not _legal_installed():
        return []
    LegalCase = apps.get_model("legal", "LegalCase")
    return LegalCase.objects.filter(incident_links__incident=incident)
