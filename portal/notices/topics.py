"""What the portal tells people about, grouped the way a parent thinks of it, and how each topic reaches
a person unless they chose otherwise."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.meetings.models import Notification


class Topic(models.TextChoices):
    MEETINGS = "meetings", _("Meetings and talks")
    AGREEMENTS = "agreements", _("Agreements between you and us")
    PLANS = "plans", _("Plans, goals and assessments")
    TRANSITIONS = "transitions", _("Moving on to a new place")
    SURVEYS = "surveys", _("Questions about how things are going")
    COMMUNITY = "community", _("The group's parents")
    ACCOUNT = "account", _("Your copy of the data")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Here in the portal")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class Mode(models.TextChoices):
    INSTANT = "instant", _("At once")
    DIGEST = "digest", _("In the daily summary")
    OFF = "off", _("Not at all")


Kind = Notification.Kind
TOPIC_OF_KIND = {
    Kind.MEETING: Topic.MEETINGS,
    Kind.AGREEMENT_PROPOSED: Topic.AGREEMENTS,
    Kind.AGREEMENT_REMINDER: Topic.AGREEMENTS,
    Kind.AGREEMENT_LAST_ANSWER: Topic.AGREEMENTS,
    Kind.AGREEMENT_IN_FORCE: Topic.AGREEMENTS,
    Kind.SURVEY_OPENED: Topic.SURVEYS,
    Kind.PLAN_PUBLISHED: Topic.PLANS,
    Kind.LANGUAGE_RESULT: Topic.PLANS,
    Kind.EDUCATION_PLAN: Topic.PLANS,
    Kind.RELATED_PLAN: Topic.PLANS,
    Kind.HANDOVER_SENT: Topic.TRANSITIONS,
    Kind.VISIT: Topic.TRANSITIONS,
    Kind.READINESS: Topic.TRANSITIONS,
    Kind.NETWORK: Topic.COMMUNITY,
    Kind.GROUP_MESSAGE: Topic.COMMUNITY,
    Kind.CONTACT_PARENT: Topic.COMMUNITY,
    Kind.PLAY_DATE: Topic.COMMUNITY,
    Kind.PARENT_FRIEND: Topic.COMMUNITY,
    Kind.DATA_EXPORT: Topic.ACCOUNT,
}

# Meetings and agreements keep coming at once by e-mail, as they always did; everything else gathers
# in one e-mail a day; text messages are for meetings only; unless the person chooses otherwise.
AT_ONCE_BY_EMAIL = {Topic.MEETINGS, Topic.AGREEMENTS}


def _default(topic: str, channel: str) -> str:
    if channel == Channel.PORTAL or (channel == Channel.SMS and topic == Topic.MEETINGS):
        return Mode.INSTANT
    if channel == Channel.EMAIL:
        return Mode.INSTANT if topic in AT_ONCE_BY_EMAIL else Mode.DIGEST
    return Mode.OFF


DEFAULTS = {(topic, channel): _default(topic, channel) for topic in Topic for channel in Channel}


def topic_of(kind: str) -> str:
    return TOPIC_OF_KIND.get(kind, Topic.MEETINGS)
