"""Moving incidents with a transferred case (called by the legal app's transfer handler, which
decides what moves: see lindungi/legal/transfers.py)."""

from __future__ import annotations

from lindungi.crypto.fields import EncryptedField
from lindungi.incidents.models import Incident, IncidentCase, Perpetrator


def reencrypt(instance, organisation_id: int) -> None:
    """Read every encrypted attribute (decrypting under the old key), then change the
    organisation and save: the save encrypts afresh under the new organisation's key."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, EncryptedField):
            getattr(instance, field.attname)
    instance.organisation_id = organisation_id
    instance.save()


def move_incident(incident: Incident, organisation_id: int) -> None:
    """The incident and its perpetrators move to `organisation_id` (its number is kept: it stays
    unique there unless taken, in which case "-T" is added to it)."""
    for perpetrator in Perpetrator.objects.filter(incident=incident):
        reencrypt(perpetrator, organisation_id)
    if Incident.objects.filter(organisation_id=organisation_id, number=incident.number).exists():
        incident.number = f"{incident.number}-T"
    reencrypt(incident, organisation_id)


def relink(incident: Incident, case, stub) -> None:
    """An incident that stays: its link to the moved case now points to the sending
    organisation's closed stub of that case."""
    IncidentCase.objects.filter(incident=incident, case=case).update(case=stub)
