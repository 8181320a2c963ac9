"""Which stage changes a legal case allows, computed from the editable stage list: progress stages
only move forward (in `order`, skipping is allowed: not every case has a P-19 or an appeal); an
ending (SP3, withdrawal, closure) closes the legal case and can be recorded from the progress
stages up to its `reachable_until`; a closed legal case changes no more.

`transition_error` says in words why a change is refused; the services raise it as a Conflict."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindungi.legal.models import LegalCase, Milestone, Stage, StageKind


def active_stages():
    return Stage.objects.filter(is_active=True).order_by("order")


def first_stage() -> Stage | None:
    return active_stages().filter(kind=StageKind.PROGRESS).first()


def milestone_order(milestone: str) -> int | None:
    """The order of the (first) stage marked with `milestone`, for "reached trial"-style counts."""
    return (Stage.objects.filter(milestone=milestone, kind=StageKind.PROGRESS).order_by("order")
            .values_list("order", flat=True).first())


def _stage_at(order: int) -> str:
    stage = Stage.objects.filter(order=order).first()
    return stage.label if stage else str(order)


def transition_error(legal_case: LegalCase, target: Stage) -> str | None:
    """None when `legal_case` may move to `target`; otherwise the reason, in the user's language."""
    current = legal_case.stage
    if legal_case.is_closed or current.is_ending:
        return _("Legal case %(number)s is closed (%(stage)s): its stage can no longer change.") % {
            "number": legal_case.number, "stage": current.label}
    if not target.is_active:
        return _("The stage “%(stage)s” is no longer in use.") % {"stage": target.label}
    if target.pk == current.pk:
        return _("The legal case is already at the stage “%(stage)s”.") % {"stage": target.label}
    if target.is_ending:
        if target.reachable_until is not None and current.order > target.reachable_until:
            return _("“%(stage)s” can only be recorded up to the stage “%(until)s”; this legal case is already at "
                     "“%(current)s”.") % {"stage": target.label, "until": _stage_at(target.reachable_until),
                                           "current": current.label}
        return None
    if target.order < current.order:
        return _("A legal case only moves forward: “%(stage)s” comes before the current stage “%(current)s”.") % {
            "stage": target.label, "current": current.label}
    return None


def allowed_stages(legal_case: LegalCase) -> list[Stage]:
    """The stages the legal case may move to now: later progress stages first, then the endings."""
    return [stage for stage in active_stages() if transition_error(legal_case, stage) is None]


MILESTONE_FIELDS = {
    Milestone.REPORTED: "reported_on",
    Milestone.TRIAL: "trial_on",
    Milestone.VERDICT: "verdict_on",
    Milestone.FINAL: "final_on",
}
