from portal.meetings.urls import calendar, guardian, municipality, staff

app_name = "meetings"

urlpatterns = [*staff.urlpatterns, *guardian.urlpatterns, *calendar.urlpatterns, *municipality.urlpatterns]
