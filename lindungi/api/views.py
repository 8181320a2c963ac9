"""The OpenAPI schema and its two documentation pages, served entirely from our own static files
(drf-spectacular-sidecar), so they work without internet and under our Content-Security-Policy."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """`/api/v1/schema/`: OpenAPI 3 (YAML by default, `?format=json` for JSON)."""


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. The split view serves its start-up code as a separate script (no inline code);
    our template loads Swagger UI's files from our static files with the page's CSP nonce."""

    template_name = "api/swagger_ui.html"


class RedocDocsView(SpectacularRedocView):
    """ReDoc, started by `lindungi/redoc.js` (no inline code, no web fonts from the internet)."""

    template_name = "api/redoc.html"


def _docs_page(view, csp: dict):
    # Signed-in people only (a login redirect, not a bare 401, for a browser), and the loosened
    # style policy only on this page: both UIs set styles from their scripts.
    return login_required(csp_update(csp)(view))


schema = SchemaView.as_view()
swagger = _docs_page(SwaggerDocsView.as_view(url_name="api-schema"), {"style-src": [SELF, UNSAFE_INLINE]})
redoc = _docs_page(
    RedocDocsView.as_view(url_name="api-schema"),
    # ReDoc builds its search index in a web worker that it starts from a blob: URL.
    {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]},
)
