"""The legal app's reference lists (stages, police unit levels, laws and articles, deadline rules):
network-wide, edited by the secretariat's supervisors and administrators only, every change
audited. Items are deactivated, never deleted: legal cases keep the values they were recorded with."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.core.errors import Conflict, validate
from lindungi.incidents import common
from lindungi.legal.models import LegalCase, Stage, StageEntry, StageKind
from lindungi.legal.services._common import REFERENCE


def editable_fields(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key}


def _check_stage(stage: Stage, previous_kind: str | None) -> None:
    if stage.kind == StageKind.PROGRESS and stage.reachable_until is not None:
        raise common.field_error("reachable_until", _("Only an ending has a last stage it can be recorded from."))
    if previous_kind and previous_kind != stage.kind and (
            LegalCase.objects.filter(stage=stage).exists() or StageEntry.objects.filter(stage=stage).exists()):
        raise Conflict(_("Legal cases have passed this stage: its kind can no longer change."), code="stage_in_use")


def reference_save(*, actor, model, data: dict, instance=None):
    policy.require(actor, REFERENCE)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    with transaction.atomic():
        previous_kind = None
        if instance is None:
            instance = model()
            changed = common.apply_changes(instance, data, editable_fields(model))
        else:
            instance = model.objects.select_for_update().get(pk=instance.pk)
            if "code" in data and data["code"] != instance.code:
                raise common.field_error("code", _("The code of an item cannot change (records refer to it)."))
            previous_kind = getattr(instance, "kind", None)
            changed = common.apply_changes(instance, data, editable_fields(model))
            if not changed:
                return instance
        if model is Stage:
            _check_stage(instance, previous_kind)
        validate(instance)
        instance.save()
        audit.record("legal.reference.saved", actor=actor, obj=instance, organisation=actor.organisation_id,
                     payload={"list": model._meta.model_name, "code": instance.code, "fields": sorted(changed)})
    return instance
