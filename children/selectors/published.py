"""What families read of the goals: the latest published version of each plan, never the drafts."""

from dataclasses import dataclass

from django.db.models import F

from children.models import Child, LearningGoal, LearningPlan, PlanVersion
from children.selectors.plans import choice_label
from portal.access import guardian_child_ids
from portal.statements import Statement, related_columns


# ---------------------------------------------------------------------------------------------------
# What families read of the goals: the latest published version of each plan
# ---------------------------------------------------------------------------------------------------
@dataclass
class PublishedGoal:
    child: Child
    plan: LearningPlan
    pk: int
    title: str
    theme: str
    description: str
    status: str
    home_activity: str
    published_at: object

    @property
    def institution(self):
        return self.plan.institution

    @property
    def status_label(self) -> str:
        return choice_label(LearningGoal.Status, self.status)

    @property
    def theme_label(self) -> str:
        return choice_label(LearningGoal.Theme, self.theme)


def _published(versions) -> list[PublishedGoal]:
    return [
        PublishedGoal(
            child=v.plan.child,
            plan=v.plan,
            pk=g["id"],
            title=g["title"],
            theme=g["theme"],
            description=g["description"],
            status=g["status"],
            home_activity=g["home_activity"],
            published_at=v.published_at,
        )
        for v in versions
        for g in v.snapshot.get("goals", [])
    ]


def _published_versions(child_ids):
    return PlanVersion.objects.filter(
        plan__child_id__in=child_ids, number=F("plan__published_number")
    ).order_by("-published_at", "-pk")


PUBLISHED_RELATED = ("plan", "plan__child", "plan__institution")
_PUBLISHED_VERSIONS_OF_CHILD = Statement(
    lambda user, *, child: _published_versions([child]).values(
        *related_columns(PlanVersion, *PUBLISHED_RELATED)
    ),
    child=int,
)


_MY_PUBLISHED_VERSIONS = Statement(
    lambda user: _published_versions(guardian_child_ids(user)).values(
        *related_columns(PlanVersion, *PUBLISHED_RELATED)
    )
)


def my_published_goals(user) -> list[PublishedGoal]:
    """The goals in the latest published version of each plan of the guardian's children, newest
    version first. One query, its SQL compiled once per number of children."""
    return _published(_MY_PUBLISHED_VERSIONS.objects(user, PlanVersion, *PUBLISHED_RELATED))


def child_published_goals(child_id: int) -> list[PublishedGoal]:
    """``published_goals`` of one child, for the child page. One query, its SQL compiled once."""
    return _published(
        _PUBLISHED_VERSIONS_OF_CHILD.objects(None, PlanVersion, *PUBLISHED_RELATED, child=child_id)
    )
