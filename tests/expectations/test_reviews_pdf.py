"""The review report as a tagged PDF (WeasyPrint, PDF/UA-1): only the round's administrators get it, it is
a real PDF with a structure tree, a language and a title, and without WeasyPrint the page says so (503)."""

import builtins
import contextlib
import datetime
import itertools
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone

from expectations.models import InstitutionReview, ReflectionAnswer, ReviewRound, SatisfactionAnswer
from expectations.services.reviews import review_round_create
from tests import factories as f
from tests.expectations.test_review_figures import two_places_each
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _round(cast, *, municipality=None, title="Review 2026"):
    review = review_round_create(
        municipality=municipality or cast.aarhus,
        title=title,
        period_start=TODAY - datetime.timedelta(days=365),
        period_end=TODAY,
        created_by=cast.erik,
    )
    ReviewRound.objects.filter(pk=review.pk).update(status=ReviewRound.Status.OPEN)
    review.refresh_from_db()
    return review


def _url(review):
    return reverse("expectations:review_report_pdf", args=[review.pk])


def _pdf_text(pdf: bytes) -> str:
    """The PDF's bytes with its Flate streams inflated, as Latin-1 text to search in."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
    return b"\n".join(parts).decode("latin-1")


def _pdf_runs(pdf: bytes) -> list[str]:
    """The PDF's text, one string per text run (a TJ operator), read back through the fonts' ToUnicode
    maps. The report's fonts are of one family, whose glyph numbers mean the same in each."""
    streams = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        with contextlib.suppress(zlib.error):
            streams.append(zlib.decompressobj().decompress(pdf[match.end() :]))
    glyphs = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for glyph, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                glyphs[glyph.lower()] = bytes.fromhex(text.decode()).decode("utf-16-be")
    runs = []
    for stream in streams:
        for operand in re.findall(rb"\[([^\]]*)\]\s*TJ", stream):
            codes = b"".join(re.findall(rb"<([0-9a-fA-F]+)>", operand)).lower()
            runs.append("".join(glyphs.get(codes[i : i + 4], "?") for i in range(0, len(codes), 4)).strip())
    return runs


def test_the_pdf_counts_a_child_once_and_each_of_its_places(client, login, cast):
    review = _round(cast)
    two_places_each(cast)
    login(client, cast.erik)
    runs = _pdf_runs(client.get(_url(review)).content)
    pairs = set(itertools.pairwise(runs))
    # The municipality's table: Emil, Freja, Ida and the baby, with seven places between them.
    assert ("Children", "4") in pairs and ("Places", "7") in pairs
    assert ("Children", "6") not in pairs  # what adding up the institutions' children gives


def test_administrator_gets_a_tagged_pdf_with_language_and_title(client, login, cast):
    review = _round(cast)
    done = InstitutionReview.objects.create(
        round=review, institution=cast.solsikken, next_steps="Read together", submitted_at=timezone.now()
    )
    ReflectionAnswer.objects.create(review=done, question=review.questions.first(), text="Our reflection")
    login(client, cast.erik)

    response = client.get(_url(review))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="[\w.-]+\.pdf"', response["Content-Disposition"])
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert "/StructTreeRoot" in text
    assert re.search(r"/MarkInfo\s*<<\s*/Marked\s+true", text)
    assert re.search(r"/Lang\s*\(en", text)
    assert "pdfuaid:part" in text  # the XMP metadata declares PDF/UA-1
    # The title (with the municipality's name) is in the document information and the XMP metadata.
    assert re.search(r"<dc:title>.*Report: Review 2026 \S+ Aarhus Kommune", text, re.S)
    assert "Skanderborg" not in text
    # The charts are figures whose alternative text is the chart's title; the tables are tagged as tables.
    assert "/Alt (Share of children with an agreement in force, by institution)" in text
    assert all(f"/S /{tag}" in text for tag in ("Document", "H1", "H2", "Table", "TH", "TD", "Figure"))


def test_pdf_is_in_the_request_language(client, login, cast, settings):
    settings.LANGUAGE_CODE = "da"
    review = _round(cast)
    login(client, cast.erik)
    text = _pdf_text(client.get(_url(review)).content)
    assert re.search(r"/Lang\s*\(da", text)


def test_the_report_page_links_to_the_pdf(client, login, cast):
    review = _round(cast)
    login(client, cast.erik)
    body = client.get(reverse("expectations:review_report", args=[review.pk])).content.decode()
    assert f'href="{_url(review)}"' in body


@pytest.mark.parametrize("persona", ["anna", "carla", "lene", "sofie", "olga"])
def test_other_people_get_404(client, login, cast, persona):
    review = _round(cast)
    login(client, getattr(cast, persona))
    assert client.get(_url(review)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, cast):
    response = client.get(_url(_round(cast)))
    assert response.status_code == 302


def test_post_is_not_allowed(client, login, cast):
    review = _round(cast)
    login(client, cast.erik)
    assert client.post(_url(review)).status_code == 405


def test_pdf_costs_the_same_queries_for_one_institution_as_for_many(client, login, cast):
    review = _round(cast)
    # One institution with a submitted review, so that every query of the report runs already.
    done = InstitutionReview.objects.create(
        round=review, institution=cast.solsikken, next_steps="Next", submitted_at=timezone.now()
    )
    ReflectionAnswer.objects.create(review=done, question=review.questions.first(), text="Answer")
    login(client, cast.erik)

    def grow():
        for n in range(4):
            institution = f.InstitutionFactory(municipality=cast.aarhus, name=f"Børnehus {n}")
            SatisfactionAnswer.objects.bulk_create(
                SatisfactionAnswer(
                    round=review, institution=institution, clear=4, equal=3, concrete=2, comment=f"C{i}"
                )
                for i in range(5)
            )
            done = InstitutionReview.objects.create(
                round=review, institution=institution, next_steps="Next", submitted_at=timezone.now()
            )
            for question in review.questions.all()[:2]:
                ReflectionAnswer.objects.create(review=done, question=question, text="Answer")

    assert_constant_queries(client, _url(review), budget=30, grow=grow)


def test_without_weasyprint_the_pdf_answers_503_and_the_report_still_works(client, login, cast, monkeypatch):
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    review = _round(cast)
    login(client, cast.erik)

    response = client.get(_url(review))

    assert response.status_code == 503
    body = response.content.decode()
    assert "The PDF cannot be made right now" in body
    assert len(re.findall(r"<h1[ >]", body)) == 1
    assert client.get(reverse("expectations:review_report", args=[review.pk])).status_code == 200
    assert client.get(reverse("expectations:review_report_csv", args=[review.pk])).status_code == 200


def test_without_weasyprint_other_people_still_get_404(client, login, cast, monkeypatch):
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    review = _round(cast)
    login(client, cast.olga)
    assert client.get(_url(review)).status_code == 404
