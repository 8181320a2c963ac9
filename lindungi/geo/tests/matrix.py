from django.urls import reverse

from lindungi.core.testing.matrix import Row

# Regions are reference data: every role may read them, nobody may write them through the web or API.
ROWS = [
    Row("geo:options", "GET", url=lambda w: reverse("geo:options") + "?level=regency&parent=31",
        expect={"anonymous": 302, "*": 200}),
    Row("geo:options", "POST", url=lambda w: reverse("geo:options") + "?level=regency&parent=31",
        expect={"anonymous": 302, "*": 405}),
    Row("geo-api:region-list", "GET", url=lambda w: reverse("geo-api:region-list") + "?level=province",
        api=True, expect={"anonymous": 401, "*": 200}),
    Row("geo-api:region-list", "POST", api=True, data=lambda w: {"code": "99", "name": "X", "level": "province"},
        expect={"anonymous": 401, "*": 405}),
    Row("geo-api:region-detail", "GET", url=lambda w: reverse("geo-api:region-detail", args=["31.71.01"]),
        api=True, expect={"anonymous": 401, "*": 200}),
    Row("geo-api:region-detail", "DELETE", url=lambda w: reverse("geo-api:region-detail", args=["31"]),
        api=True, expect={"anonymous": 401, "*": 405}),
]
