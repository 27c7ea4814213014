"""What an access event means, in plain words, built when it is shown from the stored codes.

Events store an action and a short code for what was used (``subject``); the words live here, so
events stored before a description was written read as well as new ones. Every pair the code writes
has its own sentence (tests/audit/test_descriptions.py finds them in the source); an unknown pair
still reads as a sentence, never as a code.
"""

from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from portal.audit.models import AccessEvent

VIEW, LIST, CREATE, UPDATE, DELETE = (
    AccessEvent.Action.VIEW,
    AccessEvent.Action.LIST,
    AccessEvent.Action.CREATE,
    AccessEvent.Action.UPDATE,
    AccessEvent.Action.DELETE,
)

# Reads and writes in the Django admin are stored as "admin.<model name>".
ADMIN_PREFIX = "admin."

DESCRIPTIONS = {
    # Pages and lists
    (VIEW, "child"): _("Opened the page about %(name)s"),
    (VIEW, "timeline"): _("Read the timeline of %(name)s"),
    (LIST, "parent_home"): _("Saw %(name)s on the parents' front page"),
    (LIST, "staff_home"): _("Saw %(name)s among the things to do on the staff front page"),
    (LIST, "group"): _("Saw %(name)s in the list of the group's children"),
    (LIST, "invitations"): _("Saw %(name)s in the list of invitations"),
    # The API for municipal systems (portal/api): the client is named as "who"
    (LIST, "api_children"): _("A municipal system read %(name)s and their places in a list through the API"),
    (VIEW, "api_child"): _("A municipal system read %(name)s and their places through the API"),
    (LIST, "api_agreements"): _(
        "A municipal system read whether %(name)s has an expectation agreement in force, through the API"
    ),
    (VIEW, "api_agreement"): _(
        "A municipal system read whether %(name)s has an expectation agreement in force, through the API"
    ),
    # Learning goals
    (CREATE, "learning_goal"): _("Added a learning goal for %(name)s"),
    (UPDATE, "learning_goal"): _("Changed a learning goal for %(name)s"),
    # Learning plans
    (VIEW, "learning_plan"): _("Opened the learning plan of %(name)s"),
    (VIEW, "plan_version"): _("Read a published version of the learning plan of %(name)s"),
    (VIEW, "plan_history"): _("Read the history of the learning plan of %(name)s"),
    (VIEW, "plan_pdf"): _("Downloaded the learning plan of %(name)s as a PDF"),
    (LIST, "group_plans"): _("Saw %(name)s in the overview of the group's plans"),
    (CREATE, "learning_plan"): _("Opened a learning plan for %(name)s"),
    (CREATE, "focus_point"): _("Added a focus point to the pupil plan of %(name)s"),
    (UPDATE, "focus_point"): _("Changed a focus point in the pupil plan of %(name)s"),
    (CREATE, "plan_note"): _("Wrote a note in the learning plan of %(name)s"),
    (UPDATE, "plan_publish"): _("Published a new version of the learning plan of %(name)s"),
    # The pupil's own login and voice
    (VIEW, "pupil_plan"): _("%(name)s read their own pupil plan"),
    (CREATE, "pupil_reflection"): _("%(name)s wrote what they think about a focus point"),
    (CREATE, "pupil_message"): _("%(name)s wrote a message to the parents in the pupil plan"),
    (CREATE, "pupil_account"): _("%(name)s made their own login with a code"),
    (VIEW, "pupil_login"): _("Saw whether %(name)s has their own login"),
    (CREATE, "pupil_code"): _("Made a login code for %(name)s"),
    (UPDATE, "pupil_login_revoke"): _("Ended the login of %(name)s"),
    (VIEW, "evidence"): _("Opened a photo or file in the learning plan of %(name)s"),
    (VIEW, "evidence_thumbnail"): _("Saw a small picture of a photo in the learning plan of %(name)s"),
    (CREATE, "evidence"): _("Added a photo or file to the learning plan of %(name)s"),
    (UPDATE, "evidence_takedown"): _(
        "Asked for a photo or file in the learning plan of %(name)s to be taken down"
    ),
    (DELETE, "evidence"): _("Removed a photo or file from the learning plan of %(name)s"),
    # Expectation agreements
    (LIST, "agreement_list"): _("Saw %(name)s in the list of expectation agreements"),
    (VIEW, "agreement"): _("Read the expectation agreement about %(name)s"),
    (VIEW, "agreement_comment"): _("Read the comments on the expectation agreement about %(name)s"),
    (VIEW, "agreement_acceptance"): _("Saw who has accepted the expectation agreement about %(name)s"),
    (CREATE, "agreement"): _("Started an expectation agreement about %(name)s"),
    (UPDATE, "agreement"): _("Changed the expectation agreement about %(name)s"),
    (UPDATE, "agreement_propose"): _("Sent the expectation agreement about %(name)s out for answers"),
    (CREATE, "agreement_acceptance"): _("Accepted the expectation agreement about %(name)s"),
    (CREATE, "agreement_comment"): _("Wrote a comment on the expectation agreement about %(name)s"),
    (UPDATE, "agreement_commitment"): _(
        "Marked how a commitment in the expectation agreement about %(name)s is going"
    ),
    # Meetings
    (LIST, "booking_period"): _("Saw %(name)s in the list of times for parent conversations"),
    (LIST, "meeting_booking"): _("Saw %(name)s on the page for booking a time"),
    (LIST, "meeting_list"): _("Saw %(name)s in the list of meetings"),
    (LIST, "my_meetings"): _("Saw %(name)s in the list of meetings"),
    (LIST, "calendar_feed"): _("Fetched the meetings about %(name)s into a calendar"),
    (VIEW, "meeting"): _("Opened the meeting about %(name)s"),
    (CREATE, "meeting_book"): _("Booked a time for a conversation about %(name)s"),
    (CREATE, "meeting_plan"): _("Planned a meeting about %(name)s"),
    (CREATE, "meeting_topic"): _("Added a question for the meeting about %(name)s"),
    (CREATE, "booking_nudge"): _("Reminded the parents to book a time for %(name)s"),
    (CREATE, "meeting_follow_up"): _("Added a follow-up to the meeting about %(name)s"),
    (UPDATE, "meeting_follow_up"): _("Changed a follow-up to the meeting about %(name)s"),
    (UPDATE, "meeting_move"): _("Moved the meeting about %(name)s to another time"),
    (UPDATE, "meeting_reschedule"): _("Changed the time or place of the meeting about %(name)s"),
    (UPDATE, "meeting_cancel"): _("Cancelled the meeting about %(name)s"),
    (UPDATE, "meeting_interpreter"): _("Said whether an interpreter is needed at the meeting about %(name)s"),
    (UPDATE, "meeting_prepare"): _("Changed the agenda or preparation of the meeting about %(name)s"),
    (UPDATE, "meeting_record"): _("Wrote down how the meeting about %(name)s went"),
    # Language assessments and the home activity library
    (VIEW, "language_assessment"): _("Opened the language assessment of %(name)s"),
    (VIEW, "language_observation"): _("Read the parents' observations of the language of %(name)s"),
    (VIEW, "home_language_plan"): _("Read the home language plan of %(name)s"),
    (CREATE, "language_assessment"): _("Started a language assessment of %(name)s"),
    (CREATE, "language_observation"): _("Told what they see of the language of %(name)s at home"),
    (UPDATE, "language_observation"): _("Changed what they see of the language of %(name)s at home"),
    (UPDATE, "language_result"): _("Recorded the result of the language assessment of %(name)s"),
    (CREATE, "home_language_plan"): _("Made a home language plan for %(name)s"),
    (UPDATE, "home_language_plan"): _("Changed the home language plan of %(name)s"),
    (UPDATE, "home_language_plan_follow_up"): _("Followed up on the home language plan of %(name)s"),
    (CREATE, "home_activity_try"): _("Told how an activity at home with %(name)s went"),
    # Related plans (a social action plan or another special support plan)
    (LIST, "related_plans"): _("Saw that %(name)s has a related plan and who coordinates it"),
    (VIEW, "related_plan"): _("Opened the related plan of %(name)s"),
    (CREATE, "related_plan"): _("Recorded that %(name)s has a related plan"),
    (UPDATE, "related_plan_end"): _("Recorded that the related plan of %(name)s has ended"),
    (UPDATE, "related_plan_consent"): _("Decided who may see the related plan of %(name)s"),
    # Transitions and handovers
    (CREATE, "transition_plan"): _("Planned a transition for %(name)s"),
    (VIEW, "handover"): _("Opened the handover of %(name)s"),
    (VIEW, "handover_received"): _("Read the handover of %(name)s sent to their new place"),
    (VIEW, "handover_pdf"): _("Downloaded the handover form of %(name)s as a PDF"),
    (LIST, "transitions_incoming"): _("Saw %(name)s in the list of children starting with us"),
    (UPDATE, "handover_section"): _("Wrote in the handover of %(name)s"),
    (UPDATE, "handover_parents_view"): _("Wrote the parents' view in the handover of %(name)s"),
    (UPDATE, "handover_consent"): _("Said yes or no to passing on part of the handover of %(name)s"),
    (UPDATE, "handover_send"): _("Sent the handover of %(name)s"),
    (UPDATE, "handover_receipt"): _("Confirmed receiving the handover of %(name)s"),
    (UPDATE, "transition_cancel"): _("Cancelled a transition for %(name)s"),
    (LIST, "visit_plan"): _("Saw %(name)s among the children to invite to a visit"),
    (LIST, "visit"): _("Saw %(name)s among the children invited to a visit"),
    # Parent networks
    (LIST, "network_candidates"): _("Saw %(name)s among the families who may join a parent network"),
    (LIST, "network"): _("Saw %(name)s among the families of a parent network"),
    (CREATE, "network_member"): _("Added the family of %(name)s to a parent network"),
    (UPDATE, "network_member_remove"): _("Took the family of %(name)s out of a parent network"),
    (UPDATE, "network_close"): _("Closed the parent network of %(name)s"),
    (VIEW, "network_family"): _("Opened the parent network of %(name)s"),
    (UPDATE, "network_names"): _(
        "Said whether the parent network of %(name)s may see the family's first names"
    ),
    (LIST, "network_names_seen"): _("Saw the first names of %(name)s's family in their parent network"),
    # The children's community
    (VIEW, "group_names_page"): _("Opened the page with the names of the children in the group of %(name)s"),
    (UPDATE, "group_names"): _(
        "Said whether the other parents in the group may see the first name of %(name)s"
    ),
    (UPDATE, "roster_import"): _("Wrote %(name)s's details from the municipality's roster import"),
    (CREATE, "data_export"): _("Asked for a copy of everything the portal holds about %(name)s"),
    (VIEW, "data_export"): _("Downloaded a copy of everything the portal holds about %(name)s"),
    (LIST, "group_names_seen"): _("Saw the first name of %(name)s in the list of the children in the group"),
    (UPDATE, "group_photo"): _("Chose whether the group's parents may see the photo of %(name)s"),
    (DELETE, "group_photo"): _("Deleted the photo of %(name)s for the group"),
    (VIEW, "group_photo_seen"): _("Saw the photo of %(name)s beside the first name in the group"),
    (VIEW, "play_date"): _("Opened a play date of %(name)s"),
    # The education plan in 8.–9. klasse
    (LIST, "education_plans"): _("Saw %(name)s in the list of education plans"),
    (VIEW, "education_plan"): _("Opened the education plan of %(name)s"),
    (CREATE, "education_plan"): _("Started the education plan of %(name)s"),
    (UPDATE, "education_plan"): _("Wrote in the education plan of %(name)s"),
    (UPDATE, "education_plan_confirmation"): _("Confirmed the education plan of %(name)s"),
    # The local canon of songs, stories and rhymes
    (VIEW, "canon"): _("Read the songs, stories and rhymes of the groups of %(name)s"),
    (LIST, "canon_incoming"): _(
        "Counted %(name)s among the children starting with us who know the songs, stories and rhymes"
    ),
    # School readiness assessments
    (VIEW, "readiness"): _("Opened the school readiness assessment of %(name)s"),
    (UPDATE, "readiness_request"): _("Asked for a school readiness assessment of %(name)s"),
    (UPDATE, "readiness_start"): _("Started the school readiness assessment of %(name)s"),
    (UPDATE, "readiness_part"): _("Wrote in the school readiness assessment of %(name)s"),
    (UPDATE, "readiness_complete"): _("Marked the school readiness assessment of %(name)s complete"),
    (UPDATE, "readiness_confirm"): _("Confirmed having seen the school readiness assessment of %(name)s"),
    (UPDATE, "readiness_decide"): _("Recorded the decision on the school start of %(name)s"),
}

ADMIN_DESCRIPTIONS = {
    VIEW: _("Opened information about %(name)s in the system administration (%(what)s)"),
    LIST: _("Saw %(name)s in a list in the system administration (%(what)s)"),
}

# For an event no sentence above knows (an old code, or one from a later version).
FALLBACK = {
    VIEW: _("Looked at information about %(name)s"),
    LIST: _("Saw %(name)s in a list"),
    CREATE: _("Added information about %(name)s"),
    UPDATE: _("Changed information about %(name)s"),
    DELETE: _("Removed information about %(name)s"),
}


@cache
def _verbose_names() -> dict:
    return {model._meta.model_name: model._meta.verbose_name for model in apps.get_models()}


def describe(action: str, subject: str, name: str | None = None) -> str:
    """The event as a sentence in the active language; ``name`` is the child's first name, when the
    reader may see it ("the child" otherwise)."""
    values = {"name": name or _("the child")}
    what = None
    if subject.startswith(ADMIN_PREFIX):
        what = _verbose_names().get(subject.removeprefix(ADMIN_PREFIX))
    if what is not None and action in ADMIN_DESCRIPTIONS:
        return ADMIN_DESCRIPTIONS[action] % {**values, "what": what}
    template = DESCRIPTIONS.get((action, subject)) or FALLBACK.get(action) or FALLBACK[VIEW]
    return template % values


def describe_events(events, name: str | None = None) -> list:
    """Sets ``description`` on each event, with ``name`` or else the first name of the event's child
    (which must then be selected with the events)."""
    events = list(events)
    for event in events:
        event.description = describe(event.action, event.subject, name or event.child.first_name)
    return events
