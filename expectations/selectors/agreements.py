"""Reads the agreement pages need, each in a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from children.models import Child, Guardianship
from expectations.models import (
    AgreementAcceptance,
    AgreementComment,
    Commitment,
    CommitmentSide,
    CommitmentSuggestion,
    ExpectationAgreement,
)
from expectations.policies.agreements import agreements_served_by, agreements_visible_to
from portal.meetings.models import FollowUp, Meeting
from portal.statements import Statement, related_columns

Status = ExpectationAgreement.Status
REVIEW_WINDOW_DAYS = 30


def age_in_months(child: Child, on: date | None = None) -> int:
    """Whole months since birth; 0 for a child not born yet."""
    on = on or timezone.localdate()
    if child.birth_date is None:
        return 0
    months = (on.year - child.birth_date.year) * 12 + on.month - child.birth_date.month
    if on.day < child.birth_date.day:
        months -= 1
    return max(months, 0)


def suggestions_for(child: Child, institution) -> list[CommitmentSuggestion]:
    """The catalogue for this child here: national and the child's municipality's own suggestions, for the
    child's age and the institution's kind (an empty list of kinds means every kind). One query."""
    months = age_in_months(child)
    rows = CommitmentSuggestion.objects.filter(
        Q(municipality__isnull=True) | Q(municipality_id=child.municipality_id),
        Q(age_from_months__isnull=True) | Q(age_from_months__lte=months),
        Q(age_to_months__isnull=True) | Q(age_to_months__gte=months),
        is_active=True,
    ).order_by("-side", "position", "pk")
    # The kinds are a short JSON list; SQLite cannot query into it, so it is filtered here.
    return [s for s in rows if not s.institution_kinds or institution.kind in s.institution_kinds]


@dataclass
class GuardianAnswer:
    guardianship: Guardianship
    accepted_at: object = None


@dataclass
class AgreementPage:
    agreement: ExpectationAgreement
    institution_commitments: list = field(default_factory=list)
    family_commitments: list = field(default_factory=list)
    custody_answers: list = field(default_factory=list)  # GuardianAnswer per guardian with custody
    staff_acceptances: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    topics: list = field(default_factory=list)  # display labels of the topics the parents asked for
    language: str = ""  # the language for talks, by name when it is a language code
    my_acceptance: AgreementAcceptance | None = None
    follow_ups: list = field(default_factory=list)  # what meetings agreed, linked to this agreement

    @property
    def shows_acceptances(self) -> bool:
        """Whether the page shows who has accepted and who has not (while the agreement waits)."""
        return self.agreement.status == ExpectationAgreement.Status.PROPOSED


def _follow_ups(agreement, *, family: bool):
    follow_ups = FollowUp.objects.filter(agreement_id=agreement).exclude(
        meeting__status=Meeting.Status.CANCELLED
    )
    if family:
        follow_ups = follow_ups.filter(meeting__summary_shared_at__isnull=False)
    return follow_ups.order_by("follow_up_on", "pk").values(*related_columns(FollowUp, "meeting"))


_COMMITMENTS = Statement(
    lambda user, *, agreement: (
        Commitment.objects.filter(agreement_id=agreement)
        .order_by("-side", "position", "pk")
        .values(*related_columns(Commitment, "progress_by"))
    ),
    agreement=int,
)
_ACCEPTANCES = Statement(
    lambda user, *, agreement, revision: (
        AgreementAcceptance.objects.filter(agreement_id=agreement, revision=revision)
        .order_by("accepted_at", "pk")
        .values(*related_columns(AgreementAcceptance, "user"))
    ),
    agreement=int,
    revision=int,
)
_CUSTODY = Statement(
    lambda user, *, child: (
        Guardianship.objects.active()
        .filter(child_id=child, has_custody=True)
        .order_by("user__first_name", "pk")
        .values(*related_columns(Guardianship, "user"))
    ),
    child=int,
)
_COMMENTS = Statement(
    lambda user, *, agreement: (
        AgreementComment.objects.filter(agreement_id=agreement)
        .order_by("created_at", "pk")
        .values(*related_columns(AgreementComment, "author"))
    ),
    agreement=int,
)
_FOLLOW_UPS = {
    family: Statement(
        lambda user, *, agreement, family=family: _follow_ups(agreement, family=family), agreement=int
    )
    for family in (False, True)
}


def agreement_page(agreement: ExpectationAgreement, user, *, family: bool = False) -> AgreementPage:
    """Everything the agreement page shows, for a viewer already allowed to see it. Five queries,
    their SQL compiled once per process. The follow-ups of meetings linked to it: a family sees those
    of meetings whose summary is shared."""
    page = AgreementPage(agreement=agreement)
    for c in _COMMITMENTS.objects(None, Commitment, "progress_by", agreement=agreement.pk):
        if c.side == CommitmentSide.INSTITUTION:
            page.institution_commitments.append(c)
        else:
            page.family_commitments.append(c)
    acceptances = _ACCEPTANCES.objects(
        None, AgreementAcceptance, "user", agreement=agreement.pk, revision=agreement.revision
    )
    by_user = {a.user_id: a for a in acceptances}
    for g in _CUSTODY.objects(None, Guardianship, "user", child=agreement.child_id):
        accepted = by_user.get(g.user_id)
        page.custody_answers.append(GuardianAnswer(g, accepted.accepted_at if accepted else None))
    page.staff_acceptances = [a for a in acceptances if a.role == AgreementAcceptance.Role.STAFF]
    page.my_acceptance = by_user.get(user.pk)
    page.comments = _COMMENTS.objects(None, AgreementComment, "author", agreement=agreement.pk)
    labels = dict(ExpectationAgreement.Topic.choices)
    page.topics = [labels[t] for t in agreement.guidance_topics if t in labels]
    page.language = language_label(agreement.preferred_language)
    page.follow_ups = _FOLLOW_UPS[family].objects(None, FollowUp, "meeting", agreement=agreement.pk)
    return page


def language_label(value: str) -> str:
    """'da' → 'Danish' (in the reader's language); the family's own words are shown as written."""
    try:
        return str(get_language_info(value.strip().lower())["name_translated"])
    except KeyError:
        return value


def child_agreements(user, child: Child) -> list[ExpectationAgreement]:
    """The child's agreements this user may see, the one in force and open ones first. One query."""
    order = {
        Status.IN_FORCE: 0,
        Status.PROPOSED: 1,
        Status.DRAFT: 2,
        Status.SUPERSEDED: 3,
        Status.WITHDRAWN: 4,
    }
    rows = list(
        agreements_visible_to(user)
        .filter(child=child)
        .select_related("institution")
        .order_by("-created_at", "-pk")
    )
    return sorted(rows, key=lambda a: order.get(a.status, 9))


@dataclass
class StaffOverview:
    due_for_review: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    in_force: list = field(default_factory=list)


def staff_overview(user, *, on: date | None = None) -> StaffOverview:
    """Open agreements of the children this staff member serves: due for review in 30 days, waiting for
    answers (with who still has to answer), drafts, and the rest in force. Four queries."""
    on = on or timezone.localdate()
    horizon = on + timedelta(days=REVIEW_WINDOW_DAYS)
    custody = Prefetch(
        "child__guardianships",
        queryset=Guardianship.objects.active().filter(has_custody=True).select_related("user"),
        to_attr="custody_holders",
    )
    rows = (
        agreements_served_by(user)
        .filter(status__in=[Status.DRAFT, Status.PROPOSED, Status.IN_FORCE])
        .select_related("child", "institution")
        .prefetch_related(custody, "acceptances")
        .order_by("review_due_on", "child__first_name", "pk")
    )
    overview = StaffOverview()
    for a in rows:
        if a.status == Status.PROPOSED:
            accepted = {x.user_id for x in a.acceptances.all() if x.revision == a.revision}
            staff_accepted = any(
                x.role == AgreementAcceptance.Role.STAFF and x.revision == a.revision
                for x in a.acceptances.all()
            )
            a.still_to_answer = [
                g.user.get_full_name() for g in a.child.custody_holders if g.user_id not in accepted
            ]
            if not staff_accepted:
                a.still_to_answer.append(_("a member of staff"))
            overview.waiting.append(a)
        elif a.status == Status.DRAFT:
            overview.drafts.append(a)
        elif a.review_due_on <= horizon:
            overview.due_for_review.append(a)
        else:
            overview.in_force.append(a)
    return overview
