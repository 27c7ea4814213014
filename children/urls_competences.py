"""URLs of the competence framework, the home activity library and language assessments (included
by ``children/urls.py``, in its namespace)."""

from django.urls import path

from children.views import competences, language

urlpatterns = [
    path("competences/", competences.competence_list, name="competence_list"),
    path("municipality/competences/seed/", competences.competence_seed, name="competence_seed"),
    path("municipality/competences/<int:pk>/", competences.competence_edit, name="competence_edit"),
    path(
        "municipality/competences/<int:pk>/advice/<str:band>/",
        competences.competence_advice_edit,
        name="competence_advice_edit",
    ),
    path("home-activities/", competences.activity_list, name="activity_list"),
    path(
        "children/<int:child_pk>/language-assessments/new/",
        language.language_assessment_create,
        name="language_assessment_create",
    ),
    path(
        "language-assessments/<int:pk>/",
        language.language_assessment_detail,
        name="language_assessment_detail",
    ),
    path(
        "language-assessments/<int:pk>/our-observations/",
        language.language_observation,
        name="language_observation",
    ),
    path("language-assessments/<int:pk>/result/", language.language_result, name="language_result"),
    path("language-assessments/<int:pk>/talk/", language.language_talk, name="language_talk"),
    path("language-assessments/<int:pk>/home-plan/", language.language_home_plan, name="language_home_plan"),
    path("language-assessments/<int:pk>/follow-up/", language.language_follow_up, name="language_follow_up"),
    path("language-assessments/<int:pk>/tried/", language.language_plan_try, name="language_plan_try"),
]
