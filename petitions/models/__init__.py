"""Petitions' models: pages (`pages.py`), the system's state of a petition (`state.py`), signatures and their
counters (`records.py`), and the choices they share (`choices.py`)."""

from .choices import Decision, RejectionReason, Stage, Status
from .pages import PetitionIndexPage, PetitionPage, PetitionTag, PetitionUpdate
from .records import Signature, SignatureQuerySet, SignatureTally, TallyQuerySet
from .state import PetitionState

__all__ = [
    "Decision",
    "PetitionIndexPage",
    "PetitionPage",
    "PetitionState",
    "PetitionTag",
    "PetitionUpdate",
    "RejectionReason",
    "Signature",
    "SignatureQuerySet",
    "SignatureTally",
    "Stage",
    "Status",
    "TallyQuerySet",
]
