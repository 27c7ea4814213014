"""The accessibility statement (webtilgængelighedsloven § 4): open to everyone, linked from every page's
footer, with the contacts the law asks for, in Danish and English; /was is its short address."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from portal.checks import check_accessibility_contact

pytestmark = pytest.mark.django_db


def test_everyone_reads_the_statement_with_the_municipalitys_contacts(client, settings):
    settings.ACCESSIBILITY_EMAIL = "tilgaengelighed@aarhus.example.dk"
    settings.ACCESSIBILITY_PHONE = "+45 89 40 20 00"

    page = client.get(reverse("accessibility_statement"), HTTP_ACCEPT_LANGUAGE="da").content.decode()

    assert "<h1>Tilgængelighedserklæring</h1>" in page
    assert 'href="mailto:tilgaengelighed@aarhus.example.dk"' in page
    assert 'href="tel:+45 89 40 20 00"' in page
    assert "delvist i overensstemmelse med WCAG 2.1 niveau AA" in page
    assert "5. december 2026" in page


def test_without_contacts_the_statement_points_to_the_daycare_or_school(client, settings):
    settings.ACCESSIBILITY_EMAIL = settings.ACCESSIBILITY_PHONE = ""

    page = client.get(reverse("accessibility_statement"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "mailto:" not in page and "tel:" not in page
    assert "tell your child's daycare or school" in page


def test_every_page_links_to_the_statement_in_its_footer(client, cast):
    for url in (reverse("home"), reverse("account_login")):
        assert f'<a href="{reverse("accessibility_statement")}">' in client.get(url).content.decode()
    client.force_login(cast.anna)
    page = client.get(reverse("children:parent_home"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert f'<a href="{reverse("accessibility_statement")}">Tilgængelighedserklæring</a>' in page


def test_a_statement_made_in_was_tool_takes_the_footer_link_and_the_short_address(client, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/godtpaavej-aarhus-dk"

    assert (
        'href="https://www.was.digst.dk/godtpaavej-aarhus-dk"' in client.get(reverse("home")).content.decode()
    )
    response = client.get("/was")
    assert response.status_code == 302 and response["Location"] == settings.ACCESSIBILITY_STATEMENT_URL


def test_the_short_address_leads_to_the_portals_own_statement_otherwise(client):
    response = client.get("/was")
    assert response.status_code == 302 and response["Location"] == reverse("accessibility_statement")


def test_deploy_check_asks_for_a_phone_and_a_written_contact(settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    settings.ACCESSIBILITY_EMAIL = "tilgaengelighed@aarhus.example.dk"
    settings.ACCESSIBILITY_PHONE = ""
    assert [w.id for w in check_accessibility_contact(None)] == ["portal.W002"]
    assert "portal.W002" in {w.id for w in run_checks(include_deployment_checks=True)}

    settings.ACCESSIBILITY_PHONE = "+45 89 40 20 00"
    assert check_accessibility_contact(None) == []
    settings.ACCESSIBILITY_EMAIL = settings.ACCESSIBILITY_PHONE = ""
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/godtpaavej-aarhus-dk"
    assert check_accessibility_contact(None) == []
