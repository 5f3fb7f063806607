app_name = "engagement"

urlpatterns = []
