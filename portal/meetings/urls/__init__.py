from portal.meetings.urls import calendar, guardian, staff

app_name = "meetings"

urlpatterns = [*staff.urlpatterns, *guardian.urlpatterns, *calendar.urlpatterns]
