from .goals import LearningGoal
from .people import (
    Child,
    Enrollment,
    EnrollmentQuerySet,
    Guardianship,
    GuardianshipQuerySet,
    current_enrollment,
)

__all__ = [
    "Child",
    "Enrollment",
    "EnrollmentQuerySet",
    "Guardianship",
    "GuardianshipQuerySet",
    "LearningGoal",
    "current_enrollment",
]
