"""Budgets' counting, in plain Python: the outcome rules (`outcomes`), the pabulib .pb format (`pabulib`),
ballot validity (`ballot_rules`) and money formatting (`money`).

`outcomes` and `pabulib` use the standard library only, so anyone can audit and re-run a count without
Django; `ballot_rules` and `money` add only Django's translation functions (their messages are read by
voters). Nothing here reads or writes the database: callers pass the cycle and the projects in.
"""
