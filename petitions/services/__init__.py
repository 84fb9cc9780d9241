"""Every write a citizen or moderator causes on petitions (DESIGN.md §3, §5), by concern:

- `counting`: the signature counters, the drift check and recount, the threshold;
- `drafting`: a citizen's draft, co-sponsors, the author's edits;
- `moderation`: publication, changes requested, rejection, and moderation of single signatures;
- `signing`: signing with an account or by email, and the emailed confirmation.

Keyword-only functions, one transaction each, domain exceptions with translated messages, emails after
commit in the recipient's language (`participation.i18n.email_language`). Periodic work is in `tasks.py`.
"""

from .counting import add_to_tally, check_threshold, count_differences, hash_token, normalise_email, recount
from .drafting import create_draft, edit_draft, petition_slug, send_to_moderation, sponsor, sponsor_url
from .moderation import approve, changes_requested, invalidate, moderate_signature, petition_published, reject
from .signing import SignResult, confirm, sign, signature_for_token

__all__ = [
    "SignResult",
    "add_to_tally",
    "approve",
    "changes_requested",
    "check_threshold",
    "confirm",
    "count_differences",
    "create_draft",
    "edit_draft",
    "hash_token",
    "invalidate",
    "moderate_signature",
    "normalise_email",
    "petition_published",
    "petition_slug",
    "recount",
    "reject",
    "send_to_moderation",
    "sign",
    "signature_for_token",
    "sponsor",
    "sponsor_url",
]
