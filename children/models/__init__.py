from .goals import LearningGoal
from .people import (
    Child,
    Enrollment,
    EnrollmentQuerySet,
    Guardianship,
    GuardianshipQuerySet,
    current_enrollment,
)
from .plans import FocusPoint, LearningPlan, PlanChange, PlanNote, PlanRead, PlanVersion

__all__ = [
    "Child",
    "Enrollment",
    "EnrollmentQuerySet",
    "FocusPoint",
    "Guardianship",
    "GuardianshipQuerySet",
    "LearningGoal",
    "LearningPlan",
    "PlanChange",
    "PlanNote",
    "PlanRead",
    "PlanVersion",
    "current_enrollment",
]
