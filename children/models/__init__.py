from .activities import CURRICULUM_THEMES, HomeActivity, HomeActivityTry, LanguageResult
from .competences import AgeBand, Competence, CompetenceAdvice, CompetenceChange, age_band_of, localized
from .evidence import Evidence
from .goals import LearningGoal
from .language import HomeLanguagePlan, LanguageAssessment, LanguageObservation
from .people import (
    Child,
    Enrollment,
    EnrollmentQuerySet,
    Guardianship,
    GuardianshipQuerySet,
    current_enrollment,
)
from .plans import FocusPoint, LearningPlan, PlanChange, PlanNote, PlanRead, PlanVersion
from .pupils import PupilAccount, PupilCode, PupilMessage, PupilReflection
from .related import RelatedPlan, RelatedPlanConsent

__all__ = [
    "CURRICULUM_THEMES",
    "AgeBand",
    "Child",
    "Competence",
    "CompetenceAdvice",
    "CompetenceChange",
    "Enrollment",
    "EnrollmentQuerySet",
    "Evidence",
    "FocusPoint",
    "Guardianship",
    "GuardianshipQuerySet",
    "HomeActivity",
    "HomeActivityTry",
    "HomeLanguagePlan",
    "LanguageAssessment",
    "LanguageObservation",
    "LanguageResult",
    "LearningGoal",
    "LearningPlan",
    "PlanChange",
    "PlanNote",
    "PlanRead",
    "PlanVersion",
    "PupilAccount",
    "PupilCode",
    "PupilMessage",
    "PupilReflection",
    "RelatedPlan",
    "RelatedPlanConsent",
    "age_band_of",
    "current_enrollment",
    "localized",
]
