"""What the API shows of each thing: ids and plain values, never free text written about a child."""

from rest_framework import serializers

from children.models import Child, Enrollment
from expectations.models import ExpectationAgreement, ReviewRound
from portal.organisation.models import Group, Institution, MunicipalityFigures


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "kind", "address", "phone", "email", "is_active"]


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "institution", "name", "school_year"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrollment
        fields = ["institution", "group", "started_on", "ended_on"]


class ChildSerializer(serializers.ModelSerializer):
    places = PlaceSerializer(source="current_places", many=True, read_only=True)

    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name", "birth_date", "expected_on", "places"]


class AgreementSerializer(serializers.ModelSerializer):
    """An agreement's status and dates only: its text is between the family and the institution."""

    class Meta:
        model = ExpectationAgreement
        fields = [
            "id",
            "child",
            "institution",
            "status",
            "revision",
            "starts_on",
            "review_due_on",
            "agreed_at",
        ]


class MeetingStatisticsSerializer(serializers.Serializer):
    institution = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    meetings = serializers.IntegerField()
    families_came = serializers.IntegerField(help_text="Meetings with one family that the family came to.")
    families_did_not_come = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    """One level of a review round's figures (the municipality, a kind of institution, an institution).
    Survey answers and their means are null below the report's minimum number of answers."""

    label = serializers.CharField()
    kind = serializers.CharField(allow_blank=True)
    institution_id = serializers.IntegerField(allow_null=True)
    children = serializers.IntegerField()
    places = serializers.IntegerField()
    agreements = serializers.IntegerField()
    children_with_agreement = serializers.IntegerField()
    agreed_by_all = serializers.IntegerField()
    differentiated = serializers.IntegerField()
    commitments = serializers.IntegerField()
    going_well = serializers.IntegerField()
    hard = serializers.IntegerField()
    median_days_since_agreed = serializers.FloatField(allow_null=True)
    answers = serializers.SerializerMethodField()
    clear = serializers.FloatField(allow_null=True)
    equal = serializers.FloatField(allow_null=True)
    concrete = serializers.FloatField(allow_null=True)

    def get_answers(self, figures) -> int | None:
        return figures.answers if figures.survey_shown or not figures.answers else None


class ReviewFiguresSerializer(serializers.Serializer):
    municipality = FiguresSerializer()
    kinds = FiguresSerializer(many=True)
    institutions = FiguresSerializer(many=True)


class ReviewRoundSerializer(serializers.ModelSerializer):
    figures_computed_at = serializers.DateTimeField(allow_null=True, read_only=True)
    figures = ReviewFiguresSerializer(allow_null=True, read_only=True, source="stored_figures")

    class Meta:
        model = ReviewRound
        fields = ["id", "title", "period_start", "period_end", "status", "figures_computed_at", "figures"]


class MunicipalityFiguresSerializer(serializers.ModelSerializer):
    """The municipality's figures as the hourly task last counted them."""

    class Meta:
        model = MunicipalityFigures
        fields = ["children", "places", "staff", "computed_at"]
