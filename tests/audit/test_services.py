"""Recording a list: one statement however many children it shows, every row as one record would be."""

import pytest
from django.test import RequestFactory

from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many, access_record_parts


def _request(user, path="/groups/7/"):
    request = RequestFactory().get(path, REMOTE_ADDR="10.1.2.3")
    request.user = user
    return request


@pytest.mark.django_db
def test_a_list_records_each_child_shown_in_one_statement(cast, django_assert_num_queries):
    children = [cast.emil, cast.freja, cast.ida, cast.søren]
    with django_assert_num_queries(1):
        access_record_many(
            request=_request(cast.carla),
            children=children,
            action="list",
            subject="group",
            actor_role="Pædagog",
        )
    events = list(AccessEvent.objects.order_by("pk"))
    assert [(e.child_id, e.municipality_id) for e in events] == [(c.pk, c.municipality_id) for c in children]
    single = access_record(
        request=_request(cast.carla), child=cast.emil, action="list", subject="group", actor_role="Pædagog"
    )
    fields = ("actor_id", "actor_name", "actor_role", "action", "subject", "object_id", "path", "ip")
    assert {tuple(getattr(e, f) for f in fields) for e in events} == {
        tuple(getattr(single, f) for f in fields)
    }
    assert len({e.at for e in events}) == 1


@pytest.mark.django_db
def test_parts_shown_together_record_each_part_with_the_object(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        access_record_parts(
            request=_request(cast.carla, "/agreements/3/"),
            child=cast.emil,
            action="view",
            subjects=["agreement", "agreement_comments"],
            object_id=3,
        )
    assert list(AccessEvent.objects.order_by("pk").values_list("subject", "object_id", "child_id")) == [
        ("agreement", 3, cast.emil.pk),
        ("agreement_comments", 3, cast.emil.pk),
    ]


@pytest.mark.django_db
def test_an_empty_list_records_nothing(cast, django_assert_num_queries):
    with django_assert_num_queries(0):
        access_record_many(request=_request(cast.carla), children=[], action="list", subject="group")
