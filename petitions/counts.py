"""Counter verification for `manage.py verify_counts` (participation discovers `<app>.counts`)."""


def differences():
    """Human-readable lines, one per stored petition counter that differs from its signature rows."""
    from .services import count_differences

    return [
        f"petitions: petition {petition_id}, settlement {settlement_key or '-'}: {rows} counted signatures, counter says {tallied}"
        for petition_id, settlement_key, rows, tallied in count_differences()
    ]


def fix():
    from .services import recount

    return len(recount())
