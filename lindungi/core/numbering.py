"""Per-organisation, per-year sequence numbers (case, incident and legal-case numbers)."""

from __future__ import annotations


def take_next(counter_model, *, organisation_id: int, year: int) -> int:
    """The next value of the organisation's sequence for `year`. Must run inside a transaction:
    the counter row stays locked (select_for_update) until commit, so concurrent writers queue on
    it instead of reading the same last value. `counter_model` has organisation, year, last_value."""
    counter_model.objects.get_or_create(organisation_id=organisation_id, year=year)
    counter = counter_model.objects.select_for_update().get(organisation_id=organisation_id, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value
