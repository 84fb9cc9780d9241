"""A poll's context: choices with their counts, the visitor's own vote, whether results are shown yet."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from participation.views import login_url

from ..models import PollVote, ResultsVisibility


def poll_context(poll, request, now=None):
    now = now or timezone.now()
    user = getattr(request, "user", None)
    choices = list(poll.choices.annotate(n=Count("vote_rows")).order_by("sort_order", "pk"))
    total_votes = poll.votes.count()
    my_vote = None
    if user is not None and user.is_authenticated:
        vote = PollVote.objects.filter(poll=poll, user=user).prefetch_related("choice_rows").first()
        if vote:
            my_vote = {row.choice_id for row in vote.choice_rows.all()}
    closed = not poll.is_open(now)
    show_results = closed or (poll.results_visibility == ResultsVisibility.AFTER_VOTE and my_vote is not None)
    for choice in choices:
        choice.percent = round(choice.n * 100 / total_votes) if total_votes else 0
        choice.mine = bool(my_vote and choice.pk in my_vote)
    return {
        "poll": poll,
        "choices": choices,
        "total_votes": total_votes,
        "my_vote": my_vote,
        "closed": closed,
        "show_results": show_results,
        "vote_url": reverse("consultations:poll_vote", args=[poll.pk]),
        "poll_url": reverse("consultations:poll", args=[poll.pk]),
        "current_path": request.get_full_path() if request else "",
        "login_url": login_url(request) if request else "",
    }
