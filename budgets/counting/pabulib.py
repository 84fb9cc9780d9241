"""Reading and writing the pabulib ``.pb`` format (https://pabulib.org/format).

A ``.pb`` file is UTF-8 text in three sections, each introduced by a line
holding only its name and followed by a header line; fields are separated by
``;`` and may be quoted with ``"`` (a quote inside a quoted field is doubled)::

    META
    key;value
    budget;1070000
    vote_type;approval
    ...
    PROJECTS
    project_id;cost;votes;name;selected
    c1;68000;380;Some project;1
    ...
    VOTES
    voter_id;vote
    v1;c1,c2,c11

Plain Python (standard library only, no Django).  All values are kept as
strings, every column is preserved in order, so ``loads(dumps(e)) == e``.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import IO, Any, Iterable

from .election import Ballot, Project

__all__ = [
    "PabulibElection",
    "dump",
    "dumps",
    "load",
    "loads",
    "make_election",
    "official_winners",
    "parse_budget",
    "to_rule_inputs",
]

SECTIONS = ("meta", "projects", "votes")


@dataclass
class PabulibElection:
    """A parsed ``.pb`` file.

    ``meta`` maps keys to values; ``projects`` and ``votes`` are lists of
    dicts, one per line, mapping each column name to the (string) value;
    ``project_columns`` / ``vote_columns`` keep the column order.
    """

    meta: dict[str, str] = field(default_factory=dict)
    projects: list[dict[str, str]] = field(default_factory=list)
    votes: list[dict[str, str]] = field(default_factory=list)
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower()


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


def loads(text: str) -> PabulibElection:
    """Parse the content of a ``.pb`` file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    election = PabulibElection(project_columns=[], vote_columns=[])
    section = None
    header: list[str] | None = None
    lineno = 0
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        lineno += 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if len(row) == 1 and first in SECTIONS or (first in SECTIONS and all(not c.strip() for c in row[1:])):
            section = first
            header = None
            continue
        if section is None:
            raise ValueError(f"line {lineno}: data before the META/PROJECTS/VOTES section header")
        if header is None:
            header = [c.strip() for c in row]
            if section == "projects":
                election.project_columns = header
            elif section == "votes":
                election.vote_columns = header
            continue
        values = [c.strip() for c in row]
        if section == "meta":
            # A value containing ';' that was not quoted: keep it whole.
            election.meta[values[0]] = ";".join(values[1:])
            continue
        if len(values) != len(header):
            raise ValueError(
                f"line {lineno}: {section.upper()} line has {len(values)} fields, header has {len(header)}"
            )
        record = dict(zip(header, values))
        if section == "projects":
            election.projects.append(record)
        else:
            election.votes.append(record)
    if section is None:
        raise ValueError("not a pabulib file: no META/PROJECTS/VOTES section")
    return election


def load(source: str | os.PathLike | IO[str]) -> PabulibElection:
    """Parse a ``.pb`` file given by path or open text file."""
    if hasattr(source, "read"):
        return loads(source.read())  # type: ignore[union-attr]
    with open(source, encoding="utf-8-sig", newline="") as f:
        return loads(f.read())


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def dumps(election: PabulibElection) -> str:
    """Serialise to ``.pb`` text (``\\n`` line ends, quotes only where needed)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.write("META\n")
    w.writerow(["key", "value"])
    for k, v in election.meta.items():
        w.writerow([k, _s(v)])
    out.write("PROJECTS\n")
    w.writerow(election.project_columns)
    for p in election.projects:
        w.writerow([_s(p.get(c, "")) for c in election.project_columns])
    out.write("VOTES\n")
    w.writerow(election.vote_columns)
    for v in election.votes:
        w.writerow([_s(v.get(c, "")) for c in election.vote_columns])
    return out.getvalue()


def dump(election: PabulibElection, target: str | os.PathLike | IO[str]) -> None:
    """Write a ``.pb`` file to a path or an open text file."""
    text = dumps(election)
    if hasattr(target, "write"):
        target.write(text)  # type: ignore[union-attr]
        return
    with open(target, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def _s(v: Any) -> str:
    if v is None:
        return ""
    s = str(v)
    if "\n" in s or "\r" in s:
        s = " ".join(s.split())
    return s


def make_election(
    meta: dict[str, Any],
    projects: Iterable[dict[str, Any]],
    ballots: Iterable[Iterable[Any]],
    *,
    voter_ids: Iterable[Any] | None = None,
) -> PabulibElection:
    """Build an approval election for export.

    ``meta`` must include ``budget``; ``num_projects``, ``num_votes`` and
    ``vote_type`` are filled in.  Each project dict needs ``project_id`` and
    ``cost``; its other keys become columns (first-seen order).  ``ballots``
    are iterables of project ids; voters are numbered 1, 2, ... unless
    ``voter_ids`` is given.
    """
    if "budget" not in meta:
        raise ValueError("meta must include 'budget'")
    projects = [dict(p) for p in projects]
    columns: list[str] = ["project_id", "cost"]
    for p in projects:
        if "project_id" not in p or "cost" not in p:
            raise ValueError("every project needs 'project_id' and 'cost'")
        for k in p:
            if k not in columns:
                columns.append(k)
    known = {str(p["project_id"]) for p in projects}
    votes = []
    ids = iter(voter_ids) if voter_ids is not None else None
    for n, ballot in enumerate(ballots, start=1):
        chosen = [str(x) for x in ballot]
        for x in chosen:
            if x not in known:
                raise ValueError(f"ballot {n} approves unknown project {x!r}")
        vid = next(ids) if ids is not None else n
        votes.append({"voter_id": str(vid), "vote": ",".join(chosen)})
    full_meta: dict[str, str] = {}
    for k, v in meta.items():
        full_meta[str(k)] = _s(v)
    full_meta["num_projects"] = str(len(projects))
    full_meta["num_votes"] = str(len(votes))
    full_meta.setdefault("vote_type", "approval")
    if full_meta["vote_type"] != "approval":
        raise ValueError("only approval elections can be built")
    return PabulibElection(
        meta=full_meta,
        projects=[{c: _s(p.get(c, "")) for c in columns} for p in projects],
        votes=votes,
        project_columns=columns,
        vote_columns=["voter_id", "vote"],
    )


# --------------------------------------------------------------------------
# Conversion to the rule inputs
# --------------------------------------------------------------------------


def _int_amount(text: str, what: str) -> int:
    s = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        x = Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} is not a number: {text!r}") from None
    if x.denominator != 1:
        raise ValueError(f"{what} must be a whole amount, got {text!r}")
    return int(x)


def parse_budget(election: PabulibElection) -> int:
    """The ``budget`` META entry as an int."""
    if "budget" not in election.meta:
        raise ValueError("META has no 'budget'")
    return _int_amount(election.meta["budget"], "budget")


def to_rule_inputs(election: PabulibElection) -> tuple[int, list[Project], list[Ballot]]:
    """``(budget, projects, ballots)`` for :mod:`budgets.counting.outcomes`.

    Identical ballots are grouped (``Ballot.weight``).  Only ``approval``
    (and its special case ``choose-1``) elections are supported.
    """
    vt = election.vote_type
    if vt not in ("approval", "choose-1"):
        raise ValueError(
            f"vote_type {vt!r} is not supported: only approval ballots can be counted"
        )
    budget = parse_budget(election)
    projects = []
    for p in election.projects:
        pid = p.get("project_id", "")
        if not pid:
            raise ValueError("a project has no project_id")
        projects.append(Project(pid, _int_amount(p.get("cost", ""), f"cost of project {pid}"),
                                p.get("name", "") or ""))
    known = {p.id for p in projects}
    groups: Counter = Counter()
    for v in election.votes:
        raw = v.get("vote", "")
        ids = frozenset(x.strip() for x in raw.split(",") if x.strip() and x.strip().lower() != "none")
        unknown = ids - known
        if unknown:
            raise ValueError(f"voter {v.get('voter_id', '?')} approves unknown project(s) {sorted(unknown)}")
        groups[ids] += 1
    ballots = [Ballot(k, w) for k, w in groups.items()]
    return budget, projects, ballots


def official_winners(election: PabulibElection) -> set[str]:
    """Project ids marked as funded in the ``selected`` column (value ``1``)."""
    if "selected" not in election.project_columns:
        raise ValueError("the file has no 'selected' column")
    return {p["project_id"] for p in election.projects if p.get("selected", "").strip() == "1"}
