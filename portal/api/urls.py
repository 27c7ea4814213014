"""``/api/v1/``: the read API, its OpenAPI 3 schema and its documentation page. A new version gets a
module and prefix of its own; v1 stays while clients use it."""

from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from portal.api import views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.lookup_value_converter = "int"
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("groups", views.GroupViewSet, basename="group")
router.register("children", views.ChildViewSet, basename="child")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("meeting-statistics", views.MeetingStatisticsViewSet, basename="meeting-statistics")
router.register("review-rounds", views.ReviewRoundViewSet, basename="review-round")

# Swagger UI (vendored by drf-spectacular-sidecar) sets a few styles inline: allowed on this page only.
DOCS_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("municipality-figures/", views.MunicipalityFiguresView.as_view(), name="municipality-figures"),
    *router.urls,
]
