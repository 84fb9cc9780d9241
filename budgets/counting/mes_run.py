"""One run of the Method of Equal Shares at a given voter share: exactly (Fractions), or fast with floats
that carry an error bound and give up (`_Uncertain`) when the bound cannot settle a comparison."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, deque
from fractions import Fraction
from itertools import repeat
from math import gcd
from operator import add, mul, sub

from .election import _Election


# --------------------------------------------------------------------------
# Method of Equal Shares
# --------------------------------------------------------------------------


class _MesRun:
    """One run of MES (cost utilities) with a fixed share per voter.

    Voters are tracked by *budget class*: voters whose remaining money is the
    same amount share a class, so the arithmetic is done once per distinct
    amount, not once per voter.  ``cls[g]`` is the class of ballot group
    ``g``.  The money left to each voter of class ``c`` is exactly
    ``num[c] / epoch_den[ep[c]]``: integers over a denominator that was
    current when the class was created.  ``D`` is the current common
    denominator (every epoch denominator divides it; ``mult[e] = D //
    epoch_den[e]``), so exact comparisons are integer comparisons.
    ``fval[c]`` is the correctly rounded float of the amount, used only to
    sort (rounding is monotone, so a float order is the exact order except
    between equal floats, which is checked).
    """

    __slots__ = ("el", "share", "D", "num", "ep", "fval", "mult", "epoch_den", "cls",
                 "zero", "selected", "rounds", "spent", "stop_above")

    def __init__(self, el: _Election, eligible: list[int], share: Fraction,
                 stop_above: int | None = None) -> None:
        self.el = el
        self.share = share
        self.D = share.denominator
        self.epoch_den = [self.D]
        self.mult = [1]
        self.num: list[int] = [share.numerator, 0]
        self.ep: list[int] = [0, 0]
        self.fval: list[float] = [float(share), 0.0]
        self.zero = 1
        self.cls: list[int] = [0] * len(el.group_weight)
        self.selected: list[int] = []
        self.rounds: list[dict] = []
        self.spent = 0
        self.stop_above = stop_above
        self._run(eligible)

    def _evaluate(self, p: int):
        """Price of ``p`` now: ``(rest, r, counts)`` or ``None`` if unaffordable.

        The supporters of ``p`` each pay ``q = rest / (r * D)``, or all their
        money if they have less (``r`` of them pay the full ``q``); ``q`` is
        the smallest such payment.  ``None`` if the supporters together have
        less money than the cost.
        """
        num, ep, mult, fval = self.num, self.ep, self.mult, self.fval
        cnt = self.el.class_counts(p, self.cls)
        rest = self.el.cost[p] * self.D  # cost not yet covered (scaled by D)
        r = self.el.votes[p]  # supporters not yet known to be short
        order = sorted(cnt, key=fval.__getitem__)
        for i, c in enumerate(order):
            v = num[c] * mult[ep[c]]
            # A voter with v < rest / r cannot pay an equal share: pays all of v.
            if v * r < rest:
                k = cnt[c]
                rest -= v * k
                r -= k
            else:
                # Classes with the same float may be smaller: check them exactly.
                f = fval[c]
                i += 1
                while i < len(order) and fval[order[i]] == f:
                    c2 = order[i]
                    if num[c2] * mult[ep[c2]] * r < rest:
                        return self._evaluate_exact(p, cnt)
                    i += 1
                return rest, r, cnt
        return None

    def _evaluate_exact(self, p: int, cnt: Counter):
        num, ep, mult = self.num, self.ep, self.mult
        rest = self.el.cost[p] * self.D
        r = self.el.votes[p]
        for c in sorted(cnt, key=lambda c: num[c] * mult[ep[c]]):
            v = num[c] * mult[ep[c]]
            if v * r < rest:
                k = cnt[c]
                rest -= v * k
                r -= k
            else:
                return rest, r, cnt
        return None

    def _run(self, eligible: list[int]) -> None:
        el = self.el
        cost = el.cost
        rank = el.rank
        # stale[p] = (a, b): lower bound a/b on the price per unit of utility
        # (q / cost) of p.  Prices only grow during a run, so a project whose
        # bound is already worse than this round's best is not recomputed
        # (the result is the same as recomputing every project every round).
        # Floats only order the scan: a strictly larger float means a larger
        # exact number.
        stale: dict[int, tuple[int, int]] = {p: (1, el.votes[p]) for p in eligible}
        fstale: dict[int, float] = {p: 1 / el.votes[p] for p in eligible}
        remaining = set(eligible)
        rnd = 0
        while remaining:
            rnd += 1
            D = self.D
            best = None  # (a, b)
            fbest = 0.0
            tied: list[int] = []
            evals: dict[int, tuple] = {}
            for p in sorted(remaining, key=fstale.__getitem__):
                if best is not None:
                    if fstale[p] > fbest:
                        break
                    sa, sb = stale[p]
                    if sa * best[1] > best[0] * sb:
                        continue
                res = self._evaluate(p)
                if res is None:
                    remaining.discard(p)
                    continue
                rest, r, cnt = res
                den = r * D * cost[p]
                stale[p] = (rest, den)
                fstale[p] = rest / den
                evals[p] = res
                if best is None:
                    best, fbest, tied = (rest, den), rest / den, [p]
                else:
                    lhs, rhs = rest * best[1], best[0] * den
                    if lhs < rhs:
                        best, fbest, tied = (rest, den), rest / den, [p]
                    elif lhs == rhs:
                        tied.append(p)
            if not tied:
                break
            win = min(tied, key=rank.__getitem__)
            rest, r, cnt = evals[win]
            self._pay(win, rest, r, cnt, rnd, len(tied))
            remaining.discard(win)
            if self.stop_above is not None and self.spent > self.stop_above:
                return

    def _pay(self, p: int, rest: int, r: int, cnt: Counter, rnd: int, ntied: int) -> None:
        el = self.el
        # Payment q = rest / r in units of 1/D; refine D so that q is an integer.
        g = gcd(rest, r)
        f = r // g
        q = rest // g
        if f > 1:
            self.D *= f
            self.mult = [m * f for m in self.mult]
        D = self.D
        num, ep, mult, fval = self.num, self.ep, self.mult, self.fval
        if self.epoch_den[-1] != D:
            self.epoch_den.append(D)
            mult.append(1)
        e_now = len(self.epoch_den) - 1
        zero = self.zero
        trans: dict[int, int] = {}
        created: dict[int, int] = {}
        money = 0
        full = partial = 0
        for c, k in cnt.items():
            v = num[c] * mult[ep[c]]
            money += v * k
            if v < q:
                trans[c] = zero
                partial += k
            else:
                nv = v - q
                if nv == 0:
                    trans[c] = zero
                else:
                    nc = created.get(nv)
                    if nc is None:
                        nc = created[nv] = len(num)
                        num.append(nv)
                        ep.append(e_now)
                        fval.append(nv / D)
                    trans[c] = nc
                full += k
        cls = self.cls
        supp = el.supp_uni[p]
        # cls[g] = trans[cls[g]] for every supporting group, looped in C.
        deque(map(cls.__setitem__, supp, map(trans.__getitem__, map(cls.__getitem__, supp))), 0)
        self.selected.append(p)
        self.spent += el.cost[p]
        self.rounds.append({
            "project": p, "round": rnd, "payment": Fraction(q, D),
            "money_before": Fraction(money, D),
            "paid_full_share": full, "paid_all_they_had": partial, "tied": ntied,
        })

    def money_behind(self, p: int) -> Fraction:
        num, ep, mult = self.num, self.ep, self.mult
        cnt = self.el.class_counts(p, self.cls)
        return Fraction(sum(num[c] * mult[ep[c]] * k for c, k in cnt.items()), self.D)


class _Uncertain(Exception):
    """A floating-point MES run met a comparison too close to call."""


_U4 = 4 * 2.0 ** -53  # four units of rounding of a double


class _FloatMesRun:
    """Fast screening version of :class:`_MesRun` for the add1 steps.

    Same algorithm with floats, carrying for every amount a bound on its
    rounding error.  Every comparison must be decided with its error bound
    to spare; if one is not (a near-tie, or a true tie between projects), the
    run raises :class:`_Uncertain` and the caller redoes it exactly.  When it
    finishes, the funded projects are therefore exactly those of the exact
    run.  Only ``selected`` and ``spent`` are produced.
    """

    __slots__ = ("el", "fv", "fe", "emax", "cls", "selected", "spent", "stop_above")

    def __init__(self, el: _Election, eligible: list[int], share: Fraction,
                 stop_above: int | None = None) -> None:
        self.el = el
        s = float(share)
        self.fv: list[float] = [s, 0.0]  # class amounts
        self.fe: list[float] = [abs(s) * _U4, 0.0]  # bounds on their errors
        self.emax = self.fe[0]
        self.cls: list[int] = [0] * len(el.group_weight)
        self.selected: list[int] = []
        self.spent = 0
        self.stop_above = stop_above
        self._run(eligible)

    def _evaluate(self, p: int):
        """Like :meth:`_MesRun._evaluate`, with the loops done in C (sorted
        classes, bisection, sums), then every class whose amount is close to
        the resulting share checked against its error bound."""
        fv = self.fv
        cnt = self.el.class_counts(p, self.cls)
        order = sorted(cnt, key=fv.__getitem__)
        vals = list(map(fv.__getitem__, order))
        m = len(order)
        N = self.el.votes[p]
        cost = float(self.el.cost[p])
        # Supporters in classes order[:j] (amount below the equal share of
        # what they leave to the others) pay all they have.  Start with
        # nobody short and grow the prefix until it is stable (the share only
        # grows, so this ends).
        j = 0
        S = 0.0  # money of the classes order[:j]
        K = 0  # voters in them
        q = cost / N
        while True:
            j2 = bisect_left(vals, q, j)
            if j2 == j:
                break
            S += sum(map(mul, vals[j:j2], map(cnt.__getitem__, order[j:j2])))
            K += sum(map(cnt.__getitem__, order[j:j2]))
            j = j2
            if K == N:
                break
            q = (cost - S) / (N - K)
        fe = self.fe
        emax = self.emax
        rest = cost - S
        rest_err = (sum(map(mul, map(fe.__getitem__, order[:j]), map(cnt.__getitem__, order[:j])))
                    + _U4 * (j + 2) * (S + cost))
        if j == m:
            if rest - rest_err > 0:
                return None  # certainly unaffordable
            raise _Uncertain
        r = N - K
        q_lo = (rest - rest_err) / r * (1 - _U4)
        q_hi = (rest + rest_err) / r * (1 + _U4)
        if not q_lo > 0:
            raise _Uncertain
        # Classes before j must be certainly below the share, those from j on
        # certainly at or above it; only those near it need a look.
        for i in range(bisect_left(vals, (q_lo - emax) * (1 - _U4), 0, j), j):
            if not (vals[i] + fe[order[i]]) * (1 + _U4) < q_lo:
                raise _Uncertain
        for i in range(j, bisect_right(vals, (q_hi + emax) * (1 + _U4), j, m)):
            if not (vals[i] - fe[order[i]]) * (1 - _U4) > q_hi:
                raise _Uncertain
        return rest, rest_err, r, order, j, vals

    def _run(self, eligible: list[int]) -> None:
        el = self.el
        cost = el.cost
        stale: dict[int, float] = {p: (1.0 / el.votes[p]) * (1 - _U4) for p in eligible}
        remaining = set(eligible)
        while remaining:
            best_hi = None
            cands: list[tuple[float, float, int, tuple]] = []
            for p in sorted(remaining, key=stale.__getitem__):
                if best_hi is not None and stale[p] > best_hi:
                    break
                res = self._evaluate(p)
                if res is None:
                    remaining.discard(p)
                    continue
                rest, rest_err, r = res[0], res[1], res[2]
                scale = r * float(cost[p])
                lo = (rest - rest_err) / scale * (1 - _U4)
                hi = (rest + rest_err) / scale * (1 + _U4)
                stale[p] = lo
                cands.append((lo, hi, p, res))
                if best_hi is None or hi < best_hi:
                    best_hi = hi
            if not cands:
                break
            cands.sort(key=lambda t: t[1])
            lo_w, hi_w, win, res = cands[0]
            for lo, hi, p, _ in cands[1:]:
                if not lo > hi_w:
                    raise _Uncertain  # a tie or a near-tie: decide exactly
            self._pay(win, res)
            remaining.discard(win)
            if self.stop_above is not None and self.spent > self.stop_above:
                return

    def _pay(self, p: int, res: tuple) -> None:
        rest, rest_err, r, order, npoor, vals = res
        fv, fe = self.fv, self.fe
        q = rest / r
        q_err = rest_err / r + _U4 * q
        rich = order[npoor:]
        first = len(fv)
        # Richer supporters pay q: new classes (amounts v - q); the others
        # paid all they had: the exact zero class 1.
        grow = q_err + _U4 * (vals[-1] + q)
        fv.extend(map(sub, vals[npoor:], repeat(q)))
        new_fe = list(map(add, map(fe.__getitem__, rich), repeat(grow)))
        fe.extend(new_fe)
        if new_fe:
            self.emax = max(self.emax, max(new_fe))
        trans = dict(zip(rich, range(first, first + len(rich))))
        trans.update(dict.fromkeys(order[:npoor], 1))
        cls = self.cls
        supp = self.el.supp_uni[p]
        deque(map(cls.__setitem__, supp, map(trans.__getitem__, map(cls.__getitem__, supp))), 0)
        self.selected.append(p)
        self.spent += self.el.cost[p]
