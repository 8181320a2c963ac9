from django.urls import reverse

from lindungi.core.testing.matrix import Row

ROWS = [
    Row("core:home", "GET", expect={"anonymous": 302, "*": 200}),
    # The home page's lazily loaded statistics section (every role may see some statistics).
    Row("core:home_section", "GET", url=lambda w: reverse("core:home_section", args=["statistics"]),
        expect={"anonymous": 302, "*": 200}),
    Row("core:health", "GET", expect={"anonymous": 200, "*": 200}),
    # The network-wide reference lists: managed by the secretariat only.
    Row("core:reference_lists", "GET",
        expect={"anonymous": 302, "*": 403, "secretariat_admin": 200, "secretariat_me": 200}),
    Row("set_language", "POST", data=lambda w: {"language": "en", "next": "/"}, expect={"anonymous": 302, "*": 302}),
    # The API's schema and documentation pages (lindungi/api is a package, not an app: its rows live here).
    Row("api-schema", "GET", api=True, expect={"anonymous": 401, "*": 200}),
    Row("api-schema", "POST", api=True, expect={"anonymous": 401, "*": 405}),
    Row("api-docs", "GET", expect={"anonymous": 302, "*": 200}),
]
