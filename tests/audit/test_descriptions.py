"""Every access event reads as a plain sentence, in Danish and English, also events stored earlier."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from portal.audit.admin import ADMIN_PREFIX, AuditedChildDataMixin
from portal.audit.descriptions import DESCRIPTIONS, describe
from portal.audit.models import AccessEvent

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["children", "expectations", "portal", "transitions"]
CODE = re.compile(r"\w+_\w+|admin\.")  # what a stored code looks like: parent_home, admin.child


def _action(node) -> str | None:
    """ "view" for the expression AccessEvent.Action.VIEW, else None."""
    if isinstance(node, ast.Attribute) and getattr(node.value, "attr", None) == "Action":
        return AccessEvent.Action[node.attr].value
    return None


def _written_pairs() -> tuple[set, list]:
    """(action, subject) of every audit write in the source: each call that names an AccessEvent.Action
    together with its subject. A subject the source does not spell out is reported as unreadable."""
    pairs, unreadable = set(), []
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            arguments = [*node.args, *(k.value for k in node.keywords)]
            actions = {a for a in map(_action, arguments) if a}
            if not actions:
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            if "subjects" in keywords:
                found = [c for c in ast.walk(keywords["subjects"]) if isinstance(c, ast.Constant)]
                subjects = [c.value for c in found if isinstance(c.value, str)]
            elif "subject" in keywords:
                subjects = [keywords["subject"]]
            else:
                subjects = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            for subject in subjects:
                if isinstance(subject, ast.AST):
                    if isinstance(subject, ast.Constant) and isinstance(subject.value, str):
                        subject = subject.value
                    elif isinstance(subject, ast.JoinedStr) and "ADMIN_PREFIX" in ast.unparse(subject):
                        continue  # the Django admin's subjects: checked against its registry below
                    else:
                        unreadable.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                        continue
                pairs.update((action, subject) for action in actions)
            if not subjects:
                unreadable.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return pairs, unreadable


def _in_both_languages(action, subject):
    with translation.override("en"):
        english = describe(action, subject, "Emil")
    with translation.override("da"):
        danish = describe(action, subject, "Emil")
    return english, danish


def test_every_audit_event_the_code_writes_has_a_description_in_both_languages():
    pairs, unreadable = _written_pairs()
    assert not unreadable, f"say the subject where the event is written: {unreadable}"
    assert len(pairs) > 30  # the scan finds the writes (34 pairs today)
    for action, subject in sorted(pairs):
        assert (action, subject) in DESCRIPTIONS, f"no description of {action} {subject}"
        english, danish = _in_both_languages(action, subject)
        assert "Emil" in english and "Emil" in danish
        assert subject not in danish and not CODE.search(english) and not CODE.search(danish)
        assert english != danish, f"{action} {subject} is not translated"


def test_every_django_admin_event_has_a_description_in_both_languages():
    audited = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedChildDataMixin)]
    assert len(audited) >= 8
    for model in audited:
        for action in (AccessEvent.Action.VIEW, AccessEvent.Action.LIST):
            english, danish = _in_both_languages(action, ADMIN_PREFIX + model._meta.model_name)
            with translation.override("da"):
                assert str(model._meta.verbose_name) in danish
            assert "Emil" in english and "admin." not in english and english != danish


def test_descriptions_say_the_child_when_no_name_is_given_and_never_show_an_unknown_code():
    with translation.override("da"):
        assert describe("list", "booking_period") == "Så barnet på listen over tider til forældresamtaler"
        assert describe("update", "some_old_code", "Emil") == "Ændrede oplysninger om Emil"
        assert describe("view", "admin.no_such_model", "Emil") == "Så oplysninger om Emil"


@pytest.mark.django_db
def test_parents_and_administrators_read_stored_events_in_plain_language(client, cast, login):
    for subject in ("booking_period", "parent_home"):
        AccessEvent.objects.create(
            actor=cast.carla,
            actor_name="Carla Hansen",
            child=cast.emil,
            municipality=cast.aarhus,
            action="list",
            subject=subject,
        )
    AccessEvent.objects.create(
        actor_name="Carla Hansen",
        child=cast.emil,
        municipality=cast.aarhus,
        action="create",
        subject="agreement_acceptance",
    )
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("children:access_log", args=[cast.emil.pk]), HTTP_ACCEPT_LANGUAGE="da")
    login(client, cast.erik)
    search = client.get(reverse("organisation:audit_search"), HTTP_ACCEPT_LANGUAGE="da")
    search_en = client.get(reverse("organisation:audit_search"), HTTP_ACCEPT_LANGUAGE="en")
    for response in (body, search):
        text = response.content.decode()
        assert "Så Emil på listen over tider til forældresamtaler" in text
        assert "Så Emil på forsiden for forældre" in text
        assert "Accepterede forventningsaftalen om Emil" in text
        for code in ("booking_period", "parent_home", "agreement_acceptance"):
            assert code not in text
    assert "Saw Emil in the list of times for parent conversations" in search_en.content.decode()
