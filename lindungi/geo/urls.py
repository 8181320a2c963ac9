app_name = "geo"
urlpatterns = []
