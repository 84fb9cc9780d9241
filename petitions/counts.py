"""Counter verification for `manage.py verify_counts` (participation discovers `<app>.counts`)."""

from .services import count_differences, recount


def differences():
    """Human-readable lines, one per stored petition counter that differs from its signature rows."""
    return [
        f"petitions: petition {petition_id}, settlement {settlement_key or '-'}: {rows} counted signatures, counter says {tallied}"
        for petition_id, settlement_key, rows, tallied in count_differences()
    ]


def fix():
    return len(recount())
