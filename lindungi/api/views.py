"""The OpenAPI schema and its documentation page (Swagger UI), served entirely from our own static
files (drf-spectacular-sidecar), so it works without internet and under our Content-Security-Policy.

There is no ReDoc page: its bundle loads a logo from the vendor's CDN, which our policy blocks and
which would tell a third party who reads our documentation."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """`/api/v1/schema/`: OpenAPI 3 (YAML by default, `?format=json` for JSON)."""


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. The split view serves its start-up code as a separate script (no inline code);
    our template loads Swagger UI's files from our static files with the page's CSP nonce."""

    template_name = "api/swagger_ui.html"


def _docs_page(view, csp: dict):
    # Signed-in people only (a login redirect, not a bare 401, for a browser), and the loosened
    # style policy only on this page: Swagger UI sets styles from its scripts.
    return login_required(csp_update(csp)(view))


schema = SchemaView.as_view()
swagger = _docs_page(SwaggerDocsView.as_view(url_name="api-schema"), {"style-src": [SELF, UNSAFE_INLINE]})
