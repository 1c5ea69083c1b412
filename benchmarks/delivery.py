"""Delivery benchmarks: can one due-queue tick serve a million subscribers?

    python benchmarks/delivery.py [--sizes 10000,100000,1000000] [--postgres URL] [--quick]
    python -m benchmarks.delivery ...    (the same, from the repository root)

Five measurements, each printed next to the aim it answers (see benchmarks/README.md):

1. The store's tick: ``Store.claim_due(Kind.LESSON, ...)`` on SQLite (and PostgreSQL with
   ``--postgres``) holding N subscribers, ticked once a minute in a steady state; plus the
   start-up (``Store.open`` and the first claim) and peak memory of that process.
2. The pattern the design rejects: one PTB JobQueue ``run_daily`` job per subscriber.
3. The send rate of the real Application (its own limiter) against a stand-in Bot API that
   refuses more than 30 messages a second, and whether every claimed lesson ends 'sent'.
4. The engine alone (claim, compose, record) with a sender that succeeds at once.
5. One update's processing time, the real bot's ``/help`` and ``/lesson`` next to a bare
   PTB echo bot, both through the same stand-in, and one store call on its own.

Every measurement runs in a fresh child process (this script again, with ``--worker``), so
its peak memory (VmHWM from ``/proc/self/status``: the peak resident set of that process
image, see ``peak_rss_mib``) is its own and a runaway one is killed on its own timeout.
The parent populates the databases, untimed, with bulk inserts straight into
``scheduler.tables``. Nothing talks to a network: the Bot API is the in-process
stand-in, and PostgreSQL must listen on the loopback interface. Temporary files live in one
directory, and temporary PostgreSQL databases are dropped, however the run ends.

The measurements live in the ``delivery_bench`` package beside this file, one module each
(its ``__init__`` lists them); this file is the command.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a file, Python puts benchmarks/ on the module path, not the repository root the
# package is imported from; with -m the root is there already and this changes nothing.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.delivery_bench.cli import main

if __name__ == "__main__":
    sys.exit(main())
