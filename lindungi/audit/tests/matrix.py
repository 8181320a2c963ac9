"""Permission matrix rows for the audit trail: only administrators, each for their own organisation
(what they see is scoped; see test_views/test_api)."""

from lindungi.core.testing.matrix import Row

ADMINS = {"admin_a": 200, "admin_b": 200, "secretariat_admin": 200}

ROWS = [
    Row("audit:list", "GET", expect={"anonymous": 302, "*": 403, **ADMINS}),
    Row("audit:export", "GET", expect={"anonymous": 302, "*": 403, **ADMINS}),
    Row("audit-api:event-list", "GET", api=True, expect={"anonymous": 401, "*": 403, **ADMINS}),
]
