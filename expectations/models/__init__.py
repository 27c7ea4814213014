from expectations.models.agreements import (
    AgreementAcceptance,
    AgreementComment,
    AgreementReminder,
    Commitment,
    CommitmentSide,
    CommitmentSuggestion,
    ExpectationAgreement,
)
from expectations.models.charter import CharterItem, CharterVersion, InstitutionPrinciples
from expectations.models.common import Side
from expectations.models.reviews import (
    InstitutionReview,
    ReflectionAnswer,
    ReflectionQuestion,
    ReviewRound,
    ReviewTheme,
    RoundFigures,
    SatisfactionAnswer,
    SurveyParticipation,
)

__all__ = [
    "AgreementAcceptance",
    "AgreementComment",
    "AgreementReminder",
    "CharterItem",
    "CharterVersion",
    "Commitment",
    "CommitmentSide",
    "CommitmentSuggestion",
    "ExpectationAgreement",
    "InstitutionPrinciples",
    "InstitutionReview",
    "ReflectionAnswer",
    "ReflectionQuestion",
    "ReviewRound",
    "ReviewTheme",
    "RoundFigures",
    "SatisfactionAnswer",
    "Side",
    "SurveyParticipation",
]
