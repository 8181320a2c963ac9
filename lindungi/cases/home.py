"""Home-page section: the caseworker's and the supervisor's tasks (registered in core/home.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindungi.cases.tasks import task_list
from lindungi.core import policy

SHOWN = 10


def tasks_section(request):
    user = request.user
    if not policy.allowed(user, "cases.case.edit"):
        return None
    tasks = task_list(user)
    return {
        "template": "cases/home_tasks.html",
        "title": _("Case tasks"),
        "tasks": tasks[:SHOWN],
        "more": max(len(tasks) - SHOWN, 0),
        "can_approve": policy.allowed(user, "cases.case.approve"),
    }
