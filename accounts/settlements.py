"""Profiles of a settlement's residents, for the shell's "merge settlements" (the core's hook,
participation.settlements)."""

from .models import Profile


def count_profiles(settlement_id):
    return Profile.objects.filter(settlement_id=settlement_id).count()


def move_profiles(from_id, to_id):
    return Profile.objects.filter(settlement_id=from_id).update(settlement_id=to_id)
