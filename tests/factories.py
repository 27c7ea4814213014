import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship, LearningGoal, LearningPlan, PlanVersion
from children.services import plans as plan_services
from portal.accounts.models import User
from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])
            # Invited people have a verified address: the invitation link proved it.
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Kommune {n}")
    code = factory.Sequence(lambda n: f"{100 + n % 900}")  # three digits, however long the run


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Institution {n}")
    kind = Institution.Kind.INTEGRATED


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = StaffMembership.Role.PEDAGOGUE
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set(extracted)


class AdministratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalAdministrator

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    birth_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=4 * 365))


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    relation = Guardianship.Relation.MOTHER
    has_custody = True


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    child = factory.SubFactory(ChildFactory)
    group = factory.SubFactory(GroupFactory)
    institution = factory.SelfAttribute("group.institution")
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))


class LearningGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningGoal

    child = factory.SubFactory(ChildFactory)
    institution = factory.SubFactory(InstitutionFactory)
    # The child's plan at the institution, as the service makes it.
    plan = factory.LazyAttribute(
        lambda o: plan_services.plan_for_place(child=o.child, institution=o.institution)
    )
    title = "Kan sige sit navn og spørge om hjælp"
    description = "Vi øver at bruge ord, når noget er svært."
    theme = LearningGoal.Theme.LANGUAGE
    home_activity = "Læs en bog sammen hver aften og tal om billederne."


def publish_plan(plan, *, by=None):
    """Publish the plan's draft as its next version, as ``plan_publish`` does (without its request)."""
    plan.refresh_from_db()
    now = timezone.now()
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.published_number + 1,
        published_by=by,
        published_by_name=by.get_full_name() if by else "Pia Pædagog",
        published_at=now,
        snapshot=plan_services.plan_snapshot(plan),
    )
    LearningPlan.objects.filter(pk=plan.pk).update(published_number=version.number, published_at=now)
    plan_services.evidence_publish(plan=plan, number=version.number)
    plan.refresh_from_db()
    return version
