"""Vera is in 9.A at Skovvangskolen: the world of an education plan.

Anna (her mother) and Karsten (her father) hold custody; Mikkel is a close adult without custody. Tove
teaches 9.A; Ulla is the UU counsellor with Vera in her caseload at UU Aarhus; Otto teaches 9. klasse at
Lindeskolen. Vera has her own pupil login.
"""

import datetime
from types import SimpleNamespace

from django.test import RequestFactory
from django.utils import timezone

from children.models import PupilAccount
from portal.organisation.models import Institution, StaffMembership
from tests import factories as f
from tests.conftest import enable_mfa
from transitions.services import education as services

Role = StaffMembership.Role


def request_by(user, path="/"):
    request = RequestFactory().post(path)
    request.user = user
    return request


def build(cast) -> SimpleNamespace:
    c = cast
    class_9a = f.GroupFactory(institution=c.school, name="9.A", school_year=9)
    uu = f.InstitutionFactory(municipality=c.aarhus, name="UU Aarhus", kind=Institution.Kind.YOUTH_GUIDANCE)
    caseload = f.GroupFactory(institution=uu, name="UU Skovvangskolen")
    lindeskolen = f.InstitutionFactory(
        municipality=c.aarhus, name="Lindeskolen", kind=Institution.Kind.SCHOOL
    )
    linde_9 = f.GroupFactory(institution=lindeskolen, name="9.X", school_year=9)
    vera = f.ChildFactory(
        municipality=c.aarhus,
        first_name="Vera",
        last_name="Krogh",
        birth_date=timezone.localdate() - datetime.timedelta(days=15 * 365),
    )
    f.EnrollmentFactory(child=vera, group=class_9a)
    f.EnrollmentFactory(child=vera, group=caseload)
    karsten = f.UserFactory(email="karsten@example.test", first_name="Karsten", last_name="Krogh")
    f.GuardianshipFactory(child=vera, user=c.anna)
    f.GuardianshipFactory(child=vera, user=karsten, relation="father")
    f.GuardianshipFactory(child=vera, user=c.mikkel, relation="other", has_custody=False)
    tove = enable_mfa(f.UserFactory(email="tove@example.test", first_name="Tove", last_name="Lærer"))
    ulla = enable_mfa(f.UserFactory(email="ulla@example.test", first_name="Ulla", last_name="Vejleder"))
    otto = enable_mfa(f.UserFactory(email="otto@example.test", first_name="Otto", last_name="Andersen"))
    f.StaffMembershipFactory(user=tove, institution=c.school, role=Role.TEACHER, groups=[class_9a])
    f.StaffMembershipFactory(user=ulla, institution=uu, role=Role.UU_COUNSELLOR, groups=[caseload])
    f.StaffMembershipFactory(user=otto, institution=lindeskolen, role=Role.TEACHER, groups=[linde_9])
    vera_pupil = f.UserFactory(
        email="vera.pupil@example.test", first_name="Vera", last_name="Krogh", notify_by_email=False
    )
    PupilAccount.objects.create(user=vera_pupil, child=vera, created_by=tove)
    return SimpleNamespace(
        cast=c,
        class_9a=class_9a,
        uu=uu,
        caseload=caseload,
        lindeskolen=lindeskolen,
        linde_9=linde_9,
        vera=vera,
        karsten=karsten,
        tove=tove,
        ulla=ulla,
        otto=otto,
        vera_pupil=vera_pupil,
    )


def start(w, **kwargs):
    return services.education_plan_start(request=request_by(w.ulla), child=w.vera, **kwargs)


def ready(w, plan, *, goals="Jeg vil arbejde med dyr", guidance="Tal med en dyrlæge"):
    """The pupil's wishes and the counsellor's guidance: the plan is ready to confirm."""
    from transitions.models import YouthEducation

    first, second = YouthEducation.objects.filter(municipality=w.cast.aarhus)[:2]
    plan = services.education_plan_wishes_save(
        request=request_by(w.vera_pupil), plan=plan, goals=goals, educations=[first, second]
    )
    return services.education_plan_guidance_save(request=request_by(w.ulla), plan=plan, text=guidance)
