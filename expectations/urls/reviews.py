from django.urls import path

from expectations.views import reviews as views

urlpatterns = [
    path("reviews/", views.review_round_list, name="review_round_list"),
    path("reviews/new/", views.review_round_create, name="review_round_create"),
    path("reviews/<int:pk>/", views.review_round_detail, name="review_round_detail"),
    path("reviews/<int:pk>/open/", views.review_round_open, name="review_round_open"),
    path("reviews/<int:pk>/close/", views.review_round_close, name="review_round_close"),
    path("reviews/<int:pk>/report/", views.review_report, name="review_report"),
    path("reviews/<int:pk>/report/refresh/", views.review_figures_refresh, name="review_figures_refresh"),
    path("reviews/<int:pk>/report.csv", views.review_report_csv, name="review_report_csv"),
    path("reviews/<int:pk>/report.pdf", views.review_report_pdf, name="review_report_pdf"),
    path(
        "reviews/<int:round_pk>/questions/new/", views.review_question_create, name="review_question_create"
    ),
    path(
        "reviews/<int:round_pk>/questions/<int:pk>/edit/",
        views.review_question_edit,
        name="review_question_edit",
    ),
    path(
        "reviews/<int:round_pk>/questions/<int:pk>/delete/",
        views.review_question_delete,
        name="review_question_delete",
    ),
    path(
        "reviews/<int:round_pk>/questions/<int:pk>/move/",
        views.review_question_move,
        name="review_question_move",
    ),
    path("reviews/answer/", views.institution_review_list, name="institution_review_list"),
    path(
        "reviews/<int:round_pk>/institutions/<int:institution_pk>/",
        views.institution_review_edit,
        name="institution_review_edit",
    ),
    path("reviews/survey/", views.survey_list, name="survey_list"),
    path(
        "reviews/<int:round_pk>/survey/<int:institution_pk>/",
        views.survey_answer,
        name="survey_answer",
    ),
]
