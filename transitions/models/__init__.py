from .handovers import Handover, HandoverConsent, HandoverSection, SectionEdit
from .readiness import ReadinessAssessment, ReadinessConfirmation, ReadinessEdit, ReadinessPart
from .settings import SharingModel, TransitionSettings
from .transitions import Transition, TransitionQuerySet

__all__ = [
    "Handover",
    "HandoverConsent",
    "HandoverSection",
    "ReadinessAssessment",
    "ReadinessConfirmation",
    "ReadinessEdit",
    "ReadinessPart",
    "SectionEdit",
    "SharingModel",
    "Transition",
    "TransitionQuerySet",
    "TransitionSettings",
]
