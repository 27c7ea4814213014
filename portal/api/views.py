"""The read API for the municipality's own systems (``/api/v1/``). Every view reads only the client's
municipality; another municipality's ids answer 404. Every child in a response is in the access log."""

from datetime import date
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, viewsets
from rest_framework.response import Response

from children.models import Child
from expectations.models import ExpectationAgreement, ReviewRound
from expectations.selectors.review_figures import from_data
from portal.api import selectors, serializers
from portal.api.models import ApiClient
from portal.api.permissions import client_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many
from portal.meetings.models import Meeting
from portal.organisation import selectors as organisation_selectors
from portal.organisation import services as organisation_services
from portal.organisation.models import Group, Institution, MunicipalityFigures

Scope = ApiClient.Scope


class ApiMixin:
    required_scope = ""
    queryset = None  # each view's model, empty: for the schema, which has no client

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.scoped()

    def scoped(self):
        raise NotImplementedError

    @property
    def client(self) -> ApiClient:
        return client_of(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response


class ApiViewSet(ApiMixin, viewsets.GenericViewSet):
    pass


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


def _int_param(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise exceptions.ValidationError({name: [_("Give a whole number.")]})
    return int(value)


INSTITUTION_PARAM = OpenApiParameter("institution", OpenApiTypes.INT, description="Only this institution's.")


@extend_schema_view(
    list=extend_schema(summary="Institutions of the municipality"),
    retrieve=extend_schema(summary="An institution"),
)
class InstitutionViewSet(ReadViewSet):
    required_scope = Scope.ORGANISATION
    queryset = Institution.objects.none()
    serializer_class = serializers.InstitutionSerializer

    def scoped(self):
        return selectors.institutions_for(self.client)


@extend_schema_view(
    list=extend_schema(summary="Groups (rooms, classes, caseloads)", parameters=[INSTITUTION_PARAM]),
    retrieve=extend_schema(summary="A group"),
)
class GroupViewSet(ReadViewSet):
    required_scope = Scope.ORGANISATION
    queryset = Group.objects.none()
    serializer_class = serializers.GroupSerializer

    def scoped(self):
        groups = selectors.groups_for(self.client)
        if self.action == "list" and (institution := _int_param(self.request, "institution")) is not None:
            groups = groups.filter(institution_id=institution)
        return groups


@extend_schema_view(
    list=extend_schema(summary="Children of the municipality with their places today"),
    retrieve=extend_schema(summary="A child with their places today"),
)
class ChildViewSet(ReadViewSet):
    required_scope = Scope.CHILDREN
    queryset = Child.objects.none()
    serializer_class = serializers.ChildSerializer

    def scoped(self):
        return selectors.children_for(self.client)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        access_record_many(
            request=request, children=page, action=AccessEvent.Action.LIST, subject="api_children"
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        child = self.get_object()
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.VIEW,
            subject="api_child",
            object_id=child.pk,
        )
        return Response(self.get_serializer(child).data)


def _children_of(agreements, municipality_id):
    return [SimpleNamespace(pk=a.child_id, municipality_id=municipality_id) for a in agreements]


@extend_schema_view(
    list=extend_schema(summary="Expectation agreements in force (status and dates, never the text)"),
    retrieve=extend_schema(summary="An expectation agreement in force (status and dates)"),
)
class AgreementViewSet(ReadViewSet):
    required_scope = Scope.AGREEMENTS
    queryset = ExpectationAgreement.objects.none()
    serializer_class = serializers.AgreementSerializer

    def scoped(self):
        return selectors.agreements_for(self.client)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        access_record_many(
            request=request,
            children=_children_of(page, self.client.municipality_id),
            action=AccessEvent.Action.LIST,
            subject="api_agreements",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        agreement = self.get_object()
        access_record_many(
            request=request,
            children=_children_of([agreement], self.client.municipality_id),
            action=AccessEvent.Action.VIEW,
            subject="api_agreement",
        )
        return Response(self.get_serializer(agreement).data)


def _date_param(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


@extend_schema_view(
    list=extend_schema(
        summary="Meetings counted per institution, kind and status",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Meetings starting on or after this day."
            ),
            OpenApiParameter("before", OpenApiTypes.DATE, description="Meetings starting before this day."),
            INSTITUTION_PARAM,
        ],
    )
)
class MeetingStatisticsViewSet(mixins.ListModelMixin, ApiViewSet):
    required_scope = Scope.STATISTICS
    queryset = Meeting.objects.none()
    serializer_class = serializers.MeetingStatisticsSerializer

    def scoped(self):
        return selectors.meeting_statistics_for(
            self.client,
            starts_from=_date_param(self.request, "from"),
            starts_before=_date_param(self.request, "before"),
            institution=_int_param(self.request, "institution"),
        )


@extend_schema_view(
    list=extend_schema(summary="Policy review rounds with their figures as last computed"),
    retrieve=extend_schema(summary="A policy review round with its figures as last computed"),
)
class ReviewRoundViewSet(ReadViewSet):
    required_scope = Scope.STATISTICS
    queryset = ReviewRound.objects.none()
    serializer_class = serializers.ReviewRoundSerializer

    def scoped(self):
        return selectors.review_rounds_for(self.client)

    def get_serializer(self, instance=None, *args, **kwargs):
        rounds = instance if kwargs.get("many") else [instance] if instance is not None else []
        for review_round in rounds:
            stored = getattr(review_round, "figures", None)
            computed = stored is not None and stored.computed_at is not None and bool(stored.data)
            review_round.figures_computed_at = stored.computed_at if computed else None
            review_round.stored_figures = from_data(stored.data) if computed else None
        return super().get_serializer(instance, *args, **kwargs)


class MunicipalityFiguresView(ApiMixin, generics.GenericAPIView):
    required_scope = Scope.STATISTICS
    serializer_class = serializers.MunicipalityFiguresSerializer
    queryset = MunicipalityFigures.objects.none()

    @extend_schema(
        summary="The municipality's figures: children with a place, places and staff, as last counted"
    )
    def get(self, request, *args, **kwargs):
        # The hourly task's figures; counted now only if they were never counted.
        municipality = self.client.municipality
        stored = organisation_selectors.stored_figures(municipality) or (
            organisation_services.municipality_figures_store(municipality_id=municipality.pk)
        )
        return Response(self.get_serializer(stored).data)
