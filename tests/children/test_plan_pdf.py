"""The published plan as a tagged PDF (WeasyPrint, PDF/UA-1): whoever reads the plan gets the latest
version with its content, language and title; the read is audited and counts as the family's reading;
a plan never published has none; without WeasyPrint the page says so (503)."""

import builtins
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import FocusPoint, LearningPlan, PlanNote, PlanRead
from portal.audit.models import AccessEvent
from tests import factories as f
from tests.expectations.test_reviews_pdf import _pdf_runs, _pdf_text
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


def _url(plan):
    return reverse("children:plan_pdf", args=[plan.pk])


def _pupil_plan(cast):
    plan = LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)
    FocusPoint.objects.create(
        plan=plan,
        area="danish",
        title="Læser længere tekster",
        school_effort="Læsebånd hver morgen.",
        home_support="Læs 20 minutter hver aften.",
    )
    return plan


def _text(pdf: bytes) -> str:
    return " ".join(_pdf_runs(pdf))


def test_a_parent_gets_the_published_pupil_plan_as_a_tagged_pdf(client, cast, login):
    plan = _pupil_plan(cast)
    version = f.publish_plan(plan, by=cast.dorte)
    FocusPoint.objects.filter(plan=plan).update(title="KLADDE-TITEL")  # a draft the family never sees
    login(client, cast.bo, mfa=False)

    response = client.get(_url(plan))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="plan-{plan.pk}-v1.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    raw = _pdf_text(pdf)
    assert "/StructTreeRoot" in raw and re.search(r"/MarkInfo\s*<<\s*/Marked\s+true", raw)
    assert re.search(r"/Lang\s*\(da", raw) and "pdfuaid:part" in raw
    assert re.search(r"<dc:title>.*Freja Nielsens elevplan \S+ Skovvangskolen", raw, re.S)
    assert all(f"/S /{tag}" in raw for tag in ("Document", "H1", "H2", "H3", "P"))
    text = _text(pdf)
    for words in (
        "Læser længere tekster",
        "Læsebånd hver morgen.",
        "Læs 20 minutter hver aften.",
        "Version 1",
    ):
        assert words in text, words
    assert "KLADDE" not in text
    assert PlanRead.objects.filter(version=version, user=cast.bo).exists()  # reading the PDF counts
    event = AccessEvent.objects.get(subject="plan_pdf")
    assert (event.child_id, event.actor_id, event.object_id, event.action) == (
        cast.freja.pk, cast.bo.pk, version.pk, "view",
    )  # fmt: skip


def test_the_daycare_plan_pdf_has_its_goals_and_notes_in_english(client, cast, login, settings):
    settings.LANGUAGE_CODE = "en"
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title="Tells about the day")
    PlanNote.objects.create(
        plan=goal.plan, goal=goal, kind="at_home", text="He tells at dinner", author=cast.anna,
        author_name="Anna Jensen", author_role="custody", created_at=timezone.now(),
    )  # fmt: skip
    f.publish_plan(goal.plan)
    login(client, cast.carla)
    pdf = client.get(_url(goal.plan)).content
    raw, text = _pdf_text(pdf), _text(pdf)
    assert re.search(r"/Lang\s*\(en", raw)
    assert re.search(r"<dc:title>.*Emil Jensen\S{1,6}s learning plan \S+ B", raw, re.S)
    assert "Tells about the day" in text and "He tells at dinner" in text
    assert "What you can do at home" in text
    assert all(f"/S /{tag}" in raw for tag in ("L", "LI"))  # the notes are a list
    assert not PlanRead.objects.exists()  # staff reading is no family's receipt


def test_a_plan_never_published_has_no_pdf(client, cast, login):
    plan = _pupil_plan(cast)
    for person in (cast.dorte, cast.bo):
        login(client, person, mfa=person == cast.dorte)
        assert client.get(_url(plan)).status_code == 404
    assert not AccessEvent.objects.filter(subject="plan_pdf").exists()


@pytest.mark.parametrize("persona", ["anna", "carla", "erik", "olga"])
def test_people_who_do_not_read_the_plan_get_404(client, cast, login, persona):
    plan = _pupil_plan(cast)
    f.publish_plan(plan)
    login(client, getattr(cast, persona))
    assert client.get(_url(plan)).status_code == 404


def test_the_plan_page_links_to_the_pdf_once_published(client, cast, login):
    plan = _pupil_plan(cast)
    login(client, cast.dorte)
    assert _url(plan) not in client.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
    f.publish_plan(plan)
    body = client.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
    assert f'href="{_url(plan)}"' in body


def test_the_pdf_costs_the_same_queries_with_1_and_25_goals(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    f.publish_plan(goal.plan)
    login(client, cast.anna, mfa=False)

    def grow():
        for i in range(24):
            g = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title=f"Mål {i}")
            PlanNote.objects.create(
                plan=g.plan, goal=g, kind="comment", text="y", author=cast.anna, author_name="Anna",
                author_role="custody", created_at=timezone.now(),
            )  # fmt: skip
        LearningPlan.objects.filter(pk=goal.plan.pk).update(draft_changed_at=timezone.now())
        f.publish_plan(goal.plan)

    assert_exact_queries(client, _url(goal.plan), 11, grow, lambda r: len(r.context["entries"]))


def test_without_weasyprint_the_pdf_answers_503_and_the_plan_still_works(client, cast, login, monkeypatch):
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    plan = _pupil_plan(cast)
    f.publish_plan(plan)
    login(client, cast.bo, mfa=False)
    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    response = client.get(_url(plan))
    assert response.status_code == 503
    assert (
        "PDF-filen kan ikke laves lige nu" in response.content.decode() or "PDF" in response.content.decode()
    )
    assert client.get(reverse("children:plan_detail", args=[plan.pk])).status_code == 200


def test_an_arabic_reading_parent_gets_the_plan_in_arabic_right_to_left(client, cast, login, settings):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title="Fortæller om dagen")
    f.publish_plan(goal.plan)
    login(client, cast.anna, mfa=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    pdf = client.get(_url(goal.plan)).content
    raw, text = _pdf_text(pdf), _text(pdf)
    assert re.search(r"/Lang\s*\(ar", raw)
    assert "Fortæller om dagen" in text  # the staff's own words stay as written
    # Arabic runs are laid out right to left: the PDF holds their letters in visual order.
    visual = {words: words[::-1] for words in ("النسخة", "قيد العمل", "التواصل واللغة")}
    assert all(backwards in text for backwards in visual.values()), text
    for framing in ("Version", "Working on it", "I gang", "What you can do at home", "derhjemme"):
        assert framing not in text
