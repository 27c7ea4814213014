"""The rows of the institution pages, written in Python (``portal.rows``): what each row says and links
to, escaped, and the end-access form with the page's CSRF token, never on one's own row."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from portal.organisation.models import StaffMembership
from portal.rows import url_of
from tests import factories as f


def test_url_of_reverses_like_reverse():
    for pk in (1, 42, 10**12):
        assert url_of("organisation:institution_detail")(pk) == reverse(
            "organisation:institution_detail", args=[pk]
        )
        assert url_of("organisation:group_edit", 7)(pk) == reverse("organisation:group_edit", args=[7, pk])
    with pytest.raises(NoReverseMatch):
        url_of("organisation:institution_list")  # no id to put in


@pytest.mark.django_db
def test_institution_page_rows_name_link_and_escape(client, cast, login):
    odd = f.GroupFactory(institution=cast.solsikken, name="<Sommerfugle & co>")
    login(client, cast.lene)
    page = client.get(reverse("organisation:institution_detail", args=[cast.solsikken.pk])).content.decode()
    assert "&lt;Sommerfugle &amp; co&gt;" in page and "<Sommerfugle" not in page
    assert f'href="{reverse("organisation:group_edit", args=[cast.solsikken.pk, odd.pk])}"' in page
    carla = StaffMembership.objects.get(user=cast.carla)
    lene = StaffMembership.objects.get(user=cast.lene)
    assert f'href="{reverse("organisation:membership_edit", args=[cast.solsikken.pk, carla.pk])}"' in page
    assert "carla@example.test" in page and "Mariehønen" in page
    carla_end = reverse("organisation:membership_end", args=[cast.solsikken.pk, carla.pk])
    lene_end = reverse("organisation:membership_end", args=[cast.solsikken.pk, lene.pk])
    assert f'action="{carla_end}"' in page
    assert f'action="{lene_end}"' not in page  # not on her own row
    form = re.search(rf'<form method="post" action="{re.escape(carla_end)}".*?</form>', page, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form


@pytest.mark.django_db
def test_ending_access_from_a_row_works_with_its_token(cast, login):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, cast.lene)
    page = client.get(reverse("organisation:institution_detail", args=[cast.solsikken.pk])).content.decode()
    carla = StaffMembership.objects.get(user=cast.carla)
    end = reverse("organisation:membership_end", args=[cast.solsikken.pk, carla.pk])
    form = re.search(rf'<form method="post" action="{re.escape(end)}".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(end, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    carla.refresh_from_db()
    assert carla.ended_on is not None


@pytest.mark.django_db
def test_institution_list_rows(client, cast, login):
    cast.other_daycare.is_active = False
    cast.other_daycare.save()
    closed = f.InstitutionFactory(municipality=cast.aarhus, name="Gamle Skole", is_active=False)
    login(client, cast.erik)
    page = client.get(reverse("organisation:institution_list")).content.decode()
    detail = reverse("organisation:institution_detail", args=[cast.solsikken.pk])
    assert f'href="{detail}">Børnehuset Solsikken</a></td>' in page
    assert re.search(rf'{re.escape(closed.name)}</a> <span class="badge">[^<]+</span>', page)
    assert "Børnehaven Ved Søen" not in page  # another municipality
