"""Statements run the SQL the ORM wrote for a placeholder person with the real person's values: they
must give exactly what the queryset gives, for every shape of person, and refuse builds that would
keep one request's values for the next."""

from datetime import date, datetime, timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from children.models import Child, Enrollment
from expectations.selectors import todos as agreement_todos
from portal.access import children_served_by
from portal.organisation.models import StaffMembership
from portal.statements import Statement, StatementError
from tests import factories as f
from tests.portal.test_todos import Status, agreement


def _served(user, *, born_after):
    return (
        children_served_by(user, writing=True)
        .filter(birth_date__gt=born_after)
        .order_by("pk")
        .values("pk", "first_name")
    )


def _fresh(user):
    """The same person as a new request sees them (nothing remembered on the object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
def test_statement_gives_what_the_queryset_gives_for_every_person(cast):
    served = Statement(_served, born_after=date)
    born_after = date(2000, 1, 1)
    for person in (cast.carla, cast.lene, cast.dorte, cast.sofie, cast.anna, cast.erik):
        expected = list(_served(_fresh(person), born_after=born_after))
        assert served.rows(_fresh(person), born_after=born_after) == expected
    assert [r["first_name"] for r in served.rows(_fresh(cast.lene), born_after=born_after)] == ["Emil", "Ida"]
    assert [r["first_name"] for r in served.rows(_fresh(cast.carla), born_after=born_after)] == ["Emil"]
    assert served.rows(_fresh(cast.anna), born_after=born_after) == []


@pytest.mark.django_db
def test_statement_compiles_once_per_shape_and_keeps_each_persons_ids(cast):
    builds = []

    def build(user, *, born_after):
        builds.append(user.pk)
        return _served(user, born_after=born_after)

    pia = f.UserFactory(email="pia@example.test")
    f.StaffMembershipFactory(user=pia, institution=cast.school, groups=[cast.class_1a])
    served = Statement(build, born_after=date)
    # Pia's shape (a pedagogue with one group) is Carla's: one build serves both, each with own ids.
    assert [r["first_name"] for r in served.rows(_fresh(cast.carla), born_after=date(2000, 1, 1))] == ["Emil"]
    assert [r["first_name"] for r in served.rows(_fresh(pia), born_after=date(2000, 1, 1))] == ["Freja"]
    assert len(builds) == 1
    assert [r["first_name"] for r in served.rows(_fresh(cast.lene), born_after=date(2000, 1, 1))] == [
        "Emil",
        "Ida",
    ]
    assert len(builds) == 2
    # The value is the caller's, not the first call's.
    assert served.rows(_fresh(cast.carla), born_after=date(2100, 1, 1)) == []
    assert len(builds) == 2


@pytest.mark.django_db
def test_statement_follows_repeated_ids_and_list_lengths(cast):
    """A leader who also teaches a group at the same place: the scope's ids repeat, and the policy
    removes duplicates; the placeholder person must repeat them the same way."""
    second = f.GroupFactory(institution=cast.solsikken, name="Græshopperne")
    gustav = f.ChildFactory(municipality=cast.aarhus, first_name="Gustav")
    f.EnrollmentFactory(child=gustav, group=second)
    f.StaffMembershipFactory(
        user=cast.lene, institution=cast.solsikken, role=StaffMembership.Role.PEDAGOGUE, groups=[second]
    )
    StaffMembership.objects.get(user=cast.carla).groups.add(second)
    served = Statement(_served, born_after=date)
    for person in (cast.lene, cast.carla, cast.dorte):
        assert served.rows(_fresh(person), born_after=date(2000, 1, 1)) == list(
            _served(_fresh(person), born_after=date(2000, 1, 1))
        )
    assert [r["first_name"] for r in served.rows(_fresh(cast.carla), born_after=date(2000, 1, 1))] == [
        "Emil",
        "Gustav",
    ]


@pytest.mark.django_db
def test_statement_converts_values_as_django_does(cast):
    """Dates come back as dates on SQLite too (where the database returns text)."""
    started = Statement(
        lambda user, *, on: (
            Enrollment.objects.filter(child__in=children_served_by(user), started_on__lte=on)
            .order_by("pk")
            .values("started_on", "child__birth_date")
        ),
        on=date,
    )
    rows = started.rows(_fresh(cast.carla), on=timezone.localdate())
    assert rows and all(isinstance(r["started_on"], date) for r in rows)


@pytest.mark.django_db
def test_statement_names_columns_in_the_order_values_lists_them(cast):
    """An annotation listed before plain fields keeps its own name (values() selects in its order)."""

    def build(user):
        return (
            Child.objects.filter(pk__in=children_served_by(user))
            .annotate(places=Count("enrollments"))
            .order_by("pk")
            .values("places", "first_name", "pk")
        )

    rows = Statement(build).rows(_fresh(cast.lene))
    assert rows == list(build(_fresh(cast.lene)))
    assert [(r["first_name"], r["places"]) for r in rows] == [("Emil", 1), ("Ida", 1)]


@pytest.mark.django_db
def test_statement_with_an_empty_scope_asks_nothing(cast, django_assert_num_queries):
    served = Statement(lambda user: Child.objects.filter(pk__in=[]).values("pk"))
    person = _fresh(cast.carla)
    served.rows(person)  # roles and scope are read once per request
    with django_assert_num_queries(0):
        assert served.rows(person) == []


@pytest.mark.django_db
def test_statement_refuses_a_date_computed_from_a_placeholder(cast):
    derived = Statement(
        lambda user, *, on: Child.objects.filter(birth_date__gt=on - timedelta(days=1)).values("pk"), on=date
    )
    with pytest.raises(StatementError, match="computed from a placeholder"):
        derived.rows(_fresh(cast.carla), on=date(2020, 1, 1))


@pytest.mark.django_db
def test_statement_refuses_a_time_of_the_first_request(cast):
    baked = Statement(lambda user: Child.objects.filter(created_at__lt=timezone.now()).values("pk"))
    with pytest.raises(StatementError, match="not a placeholder"):
        baked.rows(_fresh(cast.carla))


@pytest.mark.django_db
def test_statement_refuses_model_rows_and_wrong_values(cast):
    with pytest.raises(StatementError, match="values"):
        Statement(lambda user: Child.objects.filter(Q(pk=user.pk))).rows(_fresh(cast.carla))
    when = Statement(lambda user, *, at: Child.objects.filter(created_at__lt=at).values("pk"), at=datetime)
    with pytest.raises(TypeError):
        when.rows(_fresh(cast.carla))
    assert when.rows(_fresh(cast.carla), at=timezone.now() - timedelta(days=1)) == []
    assert len(when.rows(_fresh(cast.carla), at=timezone.now() + timedelta(days=1))) == Child.objects.count()


@pytest.mark.django_db
def test_todo_statements_match_their_querysets(cast):
    """The homes' agreement to-dos, read through statements, equal the querysets they are built from."""
    on = timezone.localdate()
    agreement(cast.emil, cast.solsikken)
    agreement(cast.ida, cast.solsikken, status=Status.DRAFT, created_by=cast.lene)
    agreement(cast.freja, cast.school, status=Status.IN_FORCE, review_due_on=on + timedelta(days=3))
    seen = 0
    for person in (cast.carla, cast.lene, cast.dorte, cast.anna, cast.bo):
        review_until = on + timedelta(days=30)
        assert agreement_todos._STAFF_AGREEMENTS.rows(
            _fresh(person), on=on, review_until=review_until
        ) == list(agreement_todos._staff_agreements(_fresh(person), on=on, review_until=review_until))
        assert agreement_todos._ANSWERS_AWAITED.rows(_fresh(person)) == list(
            agreement_todos._answers_awaited(_fresh(person))
        )
        seen += len(agreement_todos._STAFF_AGREEMENTS.rows(_fresh(person), on=on, review_until=review_until))
        seen += len(agreement_todos._ANSWERS_AWAITED.rows(_fresh(person)))
    # Carla: Emil's; Lene: Emil's and her draft about Ida; Dorte: Freja's review; Anna and Bo: Emil's
    # (Bo none: Freja's agreement is in force).
    assert seen == 1 + 2 + 1 + 1


@pytest.mark.django_db
def test_objects_are_the_instances_select_related_gives(cast, django_assert_num_queries):
    """Related rows come cached (a forward key, a nullable key that found nothing, a key of a key and a
    reverse one-to-one), so reading them asks nothing more."""
    from children.models import LearningPlan, PlanVersion
    from portal.statements import related_columns
    from transitions.models import Transition

    f.EnrollmentFactory(child=cast.emil, institution=cast.school, group=None)
    enrollments = Statement(
        lambda user, *, child: (
            Enrollment.objects.filter(child_id=child)
            .order_by("pk")
            .values(*related_columns(Enrollment, "institution", "group"))
        ),
        child=int,
    )
    with django_assert_num_queries(1):
        found = enrollments.objects(None, Enrollment, "institution", "group", child=cast.emil.pk)
        assert [(e.institution.name, e.group and e.group.name) for e in found] == [
            ("Børnehuset Solsikken", "Mariehønen"),
            ("Skovvangskolen", None),
        ]
    expected = list(Enrollment.objects.filter(child=cast.emil).order_by("pk"))
    assert found == expected and [e.started_on for e in found] == [e.started_on for e in expected]

    plan = LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)
    PlanVersion.objects.create(plan=plan, number=1, snapshot={"goals": []}, published_at=timezone.now())
    versions = Statement(
        lambda user, *, child: PlanVersion.objects.filter(plan__child_id=child).values(
            *related_columns(PlanVersion, "plan", "plan__child")
        ),
        child=int,
    )
    with django_assert_num_queries(1):
        (version,) = versions.objects(None, PlanVersion, "plan", "plan__child", child=cast.freja.pk)
        assert version.plan.child.first_name == "Freja" and version.snapshot == {"goals": []}

    Transition.objects.create(
        child=cast.emil,
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        planned_on=date(2027, 8, 1),
        sending_institution=cast.solsikken,
        receiving_institution=cast.school,
    )
    moves = Statement(
        lambda user, *, child: Transition.objects.filter(child_id=child).values(
            *related_columns(Transition, "handover")
        ),
        child=int,
    )
    with django_assert_num_queries(1):
        (move,) = moves.objects(None, Transition, "handover", child=cast.emil.pk)
        assert not hasattr(move, "handover")  # as select_related leaves it: known to be missing


@pytest.mark.django_db
def test_a_value_written_into_the_sql_text_is_refused(cast):
    """LIMIT and OFFSET are written into the SQL: a placeholder there would serve every later call."""
    paged = Statement(
        lambda user, *, offset: Child.objects.order_by("pk").values("pk")[offset : offset + 10], offset=int
    )
    with pytest.raises(StatementError, match="SQL text"):
        paged.rows(None, offset=10)
