"""The draining engine's benchmarks: a backlog at the send rate, replies while it drains,
paid broadcast, the peak minute, lateness over a day, and the delivery log over many days.

    python benchmarks/drain.py [--only sustained,paid,peak,lateness,log] [--json PATH]

See benchmarks/README.md, "The draining engine". Nothing talks to a network: the Bot API is
the stand-in, in this process or (``--standin process``) in its own on 127.0.0.1, or, for
the simulated day, a Telegram of exactly 30 msg/s.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.delivery_bench.drain_cli import main

if __name__ == "__main__":
    sys.exit(main())
