from rest_framework.routers import SimpleRouter

from lindungi.geo.api import RegionViewSet

app_name = "geo-api"
router = SimpleRouter(trailing_slash=True)
router.register("regions", RegionViewSet, basename="region")
urlpatterns = router.urls
