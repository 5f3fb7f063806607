from echos.reports import urls_dashboards, urls_reports

app_name = "reports"

urlpatterns = urls_dashboards.urlpatterns + urls_reports.urlpatterns
