"""The handover form the parents take with them (Randers): once it is sent, the family and the sending
staff get a tagged PDF (PDF/UA-1) in the reader's language with the places, the date, what reached the
new place and the note of what did not. A withheld or withdrawn section never appears in it."""

import builtins
import re

import pytest
from django.urls import reverse

from portal.audit.models import AccessEvent
from tests import factories as f
from tests.expectations.test_reviews_pdf import _pdf_runs, _pdf_text
from tests.queries import assert_exact_queries
from tests.transitions.conftest import request_by, school_start
from transitions import services
from transitions.models import HandoverSection

pytestmark = pytest.mark.django_db
Kind = HandoverSection.Kind

SHARED = "DELT-styrker"
WITHHELD = "HEMMELIGT-venskaber"
WITHDRAWN = "TRUKKET-bekymring"
ANNA_VIEW = "ANNAS-syn"
JONAS_VIEW = "JONAS-syn"


def _url(handover):
    return reverse("transitions:handover_pdf", args=[handover.pk])


def _text(pdf: bytes) -> str:
    return " ".join(_pdf_runs(pdf))


@pytest.fixture
def handover(cast, transition, jonas, django_capture_on_commit_callbacks):
    """Emil's handover, sent: strengths passed on, friendships withheld (Jonas never said yes), concerns
    passed on and withdrawn by Anna after sending; both custody holders wrote their view."""
    handover = transition.handover
    for kind, text in [
        (Kind.STRENGTHS, f"Bygger huler {SHARED}"),
        (Kind.FRIENDSHIPS, f"Leger alene {WITHHELD}"),
        (Kind.CONCERNS, f"Har brug for ro {WITHDRAWN}"),
    ]:
        services.handover_section_save(
            request=request_by(cast.carla), handover=handover, kind=kind, text=text
        )
    sections = {s.kind: s for s in handover.sections.filter(author__isnull=True)}
    for user, kinds in [
        (cast.anna, (Kind.STRENGTHS, Kind.FRIENDSHIPS, Kind.CONCERNS)),
        (jonas, (Kind.STRENGTHS, Kind.CONCERNS)),
    ]:
        for kind in kinds:
            services.handover_consent_set(
                request=request_by(user), handover=handover, section_pk=sections[kind].pk, give=True
            )
    for user, text in [(cast.anna, f"Han er glad {ANNA_VIEW}"), (jonas, f"Han elsker sand {JONAS_VIEW}")]:
        services.handover_parents_view_save(request=request_by(user), handover=handover, text=text)
    f.EnrollmentFactory(child=cast.emil, group=cast.class_1a, started_on=school_start())
    with django_capture_on_commit_callbacks(execute=True):
        services.handover_send_request(request=request_by(cast.carla), handover=handover)
    services.handover_consent_set(
        request=request_by(cast.anna), handover=handover, section_pk=sections[Kind.CONCERNS].pk, give=False
    )
    handover.refresh_from_db()
    assert handover.sent_at is not None
    return handover


def test_a_custody_holder_gets_the_tagged_form_in_danish_without_what_was_not_passed_on(
    client, cast, login, handover
):
    login(client, cast.anna, mfa=False)

    response = client.get(_url(handover))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="handover-{handover.pk}.pdf"'
    pdf = response.content
    raw, text = _pdf_text(pdf), _text(pdf)
    assert "/StructTreeRoot" in raw and re.search(r"/MarkInfo\s*<<\s*/Marked\s+true", raw)
    assert re.search(r"/Lang\s*\(da", raw) and "pdfuaid:part" in raw
    assert re.search(r"<dc:title>.*Overlevering af Emil Jensen", raw, re.S)
    assert all(f"/S /{tag}" in raw for tag in ("Document", "H1", "H2", "H3", "P", "Table", "L", "LI"))
    for words in (
        SHARED,
        ANNA_VIEW,
        JONAS_VIEW,
        "Børnehuset Solsikken",
        "Skovvangskolen",
        "Ikke givet videre",
    ):
        assert words in text, words
    assert WITHHELD not in text and WITHDRAWN not in text
    assert "Venskaber" in text and "Bekymringer" in text  # named in the transfer note, without their text
    event = AccessEvent.objects.get(subject="handover_pdf")
    assert (event.child_id, event.actor_id, event.object_id, event.action) == (
        cast.emil.pk, cast.anna.pk, handover.pk, "view",
    )  # fmt: skip


def test_the_form_is_in_the_reader_s_own_language(client, cast, login, handover, jonas):
    jonas.language = "en"
    jonas.save(update_fields=["language"])
    login(client, jonas, mfa=False)
    pdf = client.get(_url(handover)).content
    raw, text = _pdf_text(pdf), _text(pdf)
    assert re.search(r"/Lang\s*\(en", raw)
    assert re.search(r"<dc:title>.*Handover of Emil Jensen", raw, re.S)
    for words in ("From the staff", "Strengths and interests", "Not passed on", "not every parent"):
        assert words in text, words
    assert WITHHELD not in text and WITHDRAWN not in text


@pytest.mark.parametrize("persona", ["carla", "lene", "mikkel"])
def test_the_sending_staff_and_a_parent_without_custody_may_print_it(client, cast, login, handover, persona):
    login(client, getattr(cast, persona))
    response = client.get(_url(handover))
    assert response.status_code == 200
    assert SHARED in _text(response.content) and WITHHELD not in _text(response.content)


@pytest.mark.parametrize("persona", ["dorte", "sofie", "bo", "erik", "olga"])
def test_the_receiver_and_everyone_else_get_404(client, cast, login, handover, persona):
    login(client, getattr(cast, persona))
    assert client.get(_url(handover)).status_code == 404
    assert not AccessEvent.objects.filter(subject="handover_pdf").exists()


def test_there_is_no_form_before_it_is_sent(client, cast, login, transition):
    detail = reverse("transitions:handover_detail", args=[transition.handover.pk])
    for person in (cast.anna, cast.carla):
        login(client, person, mfa=person == cast.carla)
        assert client.get(_url(transition.handover)).status_code == 404
        assert _url(transition.handover) not in client.get(detail).content.decode()


def test_the_handover_page_links_the_form_for_the_family_and_the_sender_only(client, cast, login, handover):
    detail = reverse("transitions:handover_detail", args=[handover.pk])
    for person, shown in [(cast.anna, True), (cast.carla, True), (cast.dorte, False)]:
        login(client, person, mfa=person != cast.anna)
        assert (f'href="{_url(handover)}"' in client.get(detail).content.decode()) is shown, person


def test_the_form_costs_the_same_queries_with_1_and_25_parents_views(client, cast, login, transition):
    handover = transition.handover
    services.handover_parents_view_save(request=request_by(cast.anna), handover=handover, text="Glad")
    f.EnrollmentFactory(child=cast.emil, group=cast.class_1a, started_on=school_start())
    services.handover_send_request(request=request_by(cast.carla), handover=handover)
    services.handover_deliver(handover_id=handover.pk)
    login(client, cast.anna, mfa=False)

    def grow():
        for i in range(24):
            HandoverSection.objects.create(
                handover=handover, kind=Kind.PARENTS_VIEW, author=f.UserFactory(),
                author_name=f"Forælder {i}", text="Glad", basis=HandoverSection.Basis.PARENT, passed_on=True,
            )  # fmt: skip

    assert_exact_queries(client, _url(handover), 7, grow, lambda r: len(r.context["parent_sections"]))


def test_without_weasyprint_the_form_answers_503_and_the_page_still_works(
    client, cast, login, handover, monkeypatch
):
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    login(client, cast.anna, mfa=False)
    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    response = client.get(_url(handover))
    assert response.status_code == 503 and "PDF" in response.content.decode()
    assert not AccessEvent.objects.filter(subject="handover_pdf").exists()
    assert client.get(reverse("transitions:handover_detail", args=[handover.pk])).status_code == 200
