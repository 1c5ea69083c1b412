"""The delivery benchmarks, one module per concern; ``benchmarks/delivery.py`` runs them.

- ``population``: who the subscribers are (zones, times, tracks) and the rows that put them
  in a database, in bulk and untimed.
- ``databases``: the backends a store tick is measured on, SQLite files and a loopback
  PostgreSQL server, each size in a database of its own.
- ``processes``: the child processes every measurement runs in, and their peak memory.
- ``store_tick``, ``jobqueue``, ``send_rate``, ``engine_alone``, ``updates``: measurements
  1 to 5, each with its worker (what the child process does) and the parent's side.
- ``run``: the parent's run, every measurement in turn within the time budget.
- ``aims`` and ``report``: the figures judged against the aims, and the tables printed.
- ``plan``: how much to measure (the full run or ``--quick``) and what came of it.
- ``common``: what several share: units, the bench day, statement timing, a bare bot.
- ``cli``: the command line, and the entry each worker process takes.
"""
