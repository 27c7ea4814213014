from .handovers import Handover, HandoverConsent, HandoverSection, SectionEdit
from .settings import SharingModel, TransitionSettings
from .transitions import Transition, TransitionQuerySet
from .visits import Visit, VisitInvitation

__all__ = [
    "Handover",
    "HandoverConsent",
    "HandoverSection",
    "SectionEdit",
    "SharingModel",
    "Transition",
    "TransitionQuerySet",
    "TransitionSettings",
    "Visit",
    "VisitInvitation",
]
