"""Ballots of a settlement, for the shell's "merge settlements" (the core's hook, participation.settlements).
Turnout by settlement is counted from the ballot rows, so moving the rows keeps every figure right."""

from .models import Ballot


def count_ballots(settlement_id):
    return Ballot.objects.filter(settlement_id=settlement_id).count()


def move_ballots(from_id, to_id):
    return Ballot.objects.filter(settlement_id=from_id).update(settlement_id=to_id)
