"""Budget results benchmark: from the ballots stored in PostgreSQL to the published result, for both rules,
next to pabutools (the reference implementation) on the same election loaded in memory.

Elections: the largest real election in ../shared/data/pabulib/ (by ballots) and a synthetic one with 200
projects and 100,000 ballots. Writes bench/results/budgets.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veche_budgets .venv/bin/python bench/budgets.py [--quick]

`--quick` uses 20,000 synthetic ballots (for a smoke run). pabutools runs in a child process with a time
limit (`--pabutools-timeout`, default 300 s); a run over the limit is recorded as such, not hidden.
"""

import argparse
import json
import multiprocessing
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "pabulib"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/veche_budgets")

import django  # noqa: E402 (the settings module and the database are chosen above)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from pabutools.election import Cost_Sat  # noqa: E402
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares  # noqa: E402
from wagtail.models import Site  # noqa: E402

from budgets.counting import pabulib  # noqa: E402
from budgets.exports import import_election  # noqa: E402
from budgets.models import BudgetResult, ProposalPage  # noqa: E402
from budgets.results import compute  # noqa: E402


def synthetic_pb(projects=200, ballots=100_000, seed=7):
    """A pabulib election: skewed popularity, 1-8 approvals a ballot, budget a quarter of the total cost."""
    rng = random.Random(seed)
    costs = [rng.randrange(5_000, 400_000, 1_000) for _ in range(projects)]
    weights = [1 / (rank + 1) ** 0.7 for rank in range(projects)]
    ids = list(range(1, projects + 1))
    lines = []
    for _ in range(ballots):
        k = rng.randint(1, 8)
        lines.append(sorted(set(rng.choices(ids, weights=weights, k=k))))
    meta = {"description": "Synthetic benchmark", "budget": sum(costs) // 4}
    rows = [{"project_id": pid, "cost": cost, "name": f"Project {pid}"} for pid, cost in zip(ids, costs)]
    return pabulib.make_election(meta, rows, lines)


def _pabutools_child(text, rule, queue):
    instance, profile = parse_pabulib_from_string(text)
    started = time.perf_counter()
    if rule == "greedy":
        result = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        result = completion_by_rule_combination(
            instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
        )
    queue.put((time.perf_counter() - started, sorted(str(p.name) for p in result)))


def pabutools_time(text, rule, timeout):
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_pabutools_child, args=(text, rule, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return {"seconds": None, "timed_out_after": timeout}
    seconds, selected = queue.get()
    return {"seconds": round(seconds, 3), "selected": selected}


def run_election(name, election, parent, timeout):
    text = pabulib.dumps(election)
    started = time.perf_counter()
    budget = import_election(election, parent=parent, title=f"bench {name}")
    import_seconds = time.perf_counter() - started
    original = {page.pk: page.slug.removeprefix("p-") for page in ProposalPage.objects.child_of(budget)}
    entry = {
        "election": name,
        "projects": len(election.projects),
        "ballots": len(election.votes),
        "import_seconds": round(import_seconds, 2),
        "database": connection.vendor,
        "rules": {},
    }
    for rule, reference in (("greedy", "greedy"), ("mes", "mes")):
        with transaction.atomic():
            started = time.perf_counter()
            data = compute(budget, rule)
            BudgetResult.objects.create(budget=budget, rule=rule, data=data)
            ours = time.perf_counter() - started
            transaction.set_rollback(True)  # measure publishing, keep the cycle unpublished for the next rule
        selected = sorted(original[p["id"]] for p in data["projects"] if p["selected"])
        reference_run = pabutools_time(text, reference, timeout)
        entry["rules"][rule] = {
            "veche_db_to_published_seconds": round(ours, 3),
            "pabutools_in_memory_seconds": reference_run["seconds"],
            "pabutools_timed_out_after": reference_run.get("timed_out_after"),
            "same_selection_as_pabutools": (selected == reference_run["selected"]) if "selected" in reference_run else None,
            "funded": len(selected),
        }
        print(name, rule, entry["rules"][rule], flush=True)
    return entry


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pabutools-timeout", type=int, default=300)
    parser.add_argument("--ballots", type=int, default=None, help="synthetic ballots (default 100,000; 20,000 with --quick)")
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    parent = Site.objects.get(is_default_site=True).root_page.specific
    results = []
    ballots = args.ballots or (20_000 if args.quick else 100_000)
    out = ROOT / "bench" / "results" / ("budgets.json" if ballots == 100_000 else f"budgets-{ballots}.json")
    out.parent.mkdir(exist_ok=True)

    def save():
        out.write_text(json.dumps({
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "elections": results,
        }, indent=1))

    real = sorted(SHARED.glob("*.pb"), key=lambda path: path.stat().st_size)
    if real and not args.skip_real:
        largest = real[-1]
        results.append(run_election(largest.stem, pabulib.load(largest), parent, args.pabutools_timeout))
        save()
    results.append(run_election(f"synthetic-200x{ballots}", synthetic_pb(200, ballots), parent, args.pabutools_timeout))
    save()
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
