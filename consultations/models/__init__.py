"""Consultations: a draft text commented paragraph by paragraph, a questionnaire, public meetings, polls and
the outcome report. One module per concern; everything is importable from `consultations.models`."""

from .choices import CHOICE_TYPES, ConsultationState, Decision, ModerationMode, QuestionType, ResultsVisibility
from .comments import Comment, CommentFlag, CommentQuerySet, CommentSupport, new_token
from .meetings import Meeting, MeetingProposal
from .pages import ConsultationIndexPage, ConsultationPage, ConsultationPageForm, ConsultationPageTag, ReportPublication, period_error
from .polls import Poll, PollChoice, PollVote, PollVoteChoice
from .questionnaire import ConsultationQuestion, QuestionnaireAnswer

__all__ = [
    "CHOICE_TYPES",
    "Comment",
    "CommentFlag",
    "CommentQuerySet",
    "CommentSupport",
    "ConsultationIndexPage",
    "ConsultationPage",
    "ConsultationPageForm",
    "ConsultationPageTag",
    "ConsultationQuestion",
    "ConsultationState",
    "Decision",
    "Meeting",
    "MeetingProposal",
    "ModerationMode",
    "Poll",
    "PollChoice",
    "PollVote",
    "PollVoteChoice",
    "QuestionType",
    "QuestionnaireAnswer",
    "ReportPublication",
    "ResultsVisibility",
    "new_token",
    "period_error",
]
