from .canon import CanonItem, CanonUse
from .education import (
    EducationPlan,
    EducationPlanConfirmation,
    EducationPlanRemark,
    EducationWish,
    YouthEducation,
)
from .handovers import Handover, HandoverConsent, HandoverSection, SectionEdit
from .networks import Network, NetworkInvitation, NetworkMeeting, NetworkMember, NetworkNameChoice
from .readiness import ReadinessAssessment, ReadinessConfirmation, ReadinessEdit, ReadinessPart
from .settings import SharingModel, TransitionSettings
from .transitions import Transition, TransitionQuerySet
from .visits import Visit, VisitInvitation

__all__ = [
    "CanonItem",
    "CanonUse",
    "EducationPlan",
    "EducationPlanConfirmation",
    "EducationPlanRemark",
    "EducationWish",
    "Handover",
    "HandoverConsent",
    "HandoverSection",
    "Network",
    "NetworkInvitation",
    "NetworkMeeting",
    "NetworkMember",
    "NetworkNameChoice",
    "ReadinessAssessment",
    "ReadinessConfirmation",
    "ReadinessEdit",
    "ReadinessPart",
    "SectionEdit",
    "SharingModel",
    "Transition",
    "TransitionQuerySet",
    "TransitionSettings",
    "Visit",
    "VisitInvitation",
    "YouthEducation",
]
