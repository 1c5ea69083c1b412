"""What one delivery tick did, counted in total and for each kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.model import Kind


@dataclass
class TickReport:
    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    retried: int = 0
    waiting: int = 0
    unknown: int = 0
    """Sent, perhaps: a timeout, a deadline or an error left it unknown. Never resent."""
    released: int = 0
    """Claimed, then given back unsent because the process is stopping."""
    rounds: int = 0
    """How many times the tick claimed: more than one while a backlog drains."""
    pruned: int = 0
    """Delivery-log rows past the retention removed in the tick's spare time."""
    kinds: dict[Kind, TickReport] = field(default_factory=dict, compare=False)
    """The same counts for each kind on its own."""

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.blocked + self.retried + self.waiting + self.unknown

    def add(self, kind: Kind, part: TickReport) -> None:
        self.kinds[kind] = part
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(part, name))

    def count(self, kind: Kind, name: str) -> None:
        """One more claim of ``kind`` ended as ``name`` (one of the counts above)."""
        part = self.kinds.setdefault(kind, TickReport())
        setattr(part, name, getattr(part, name) + 1)
        setattr(self, name, getattr(self, name) + 1)


_COUNTS = ("sent", "skipped", "blocked", "retried", "waiting", "unknown", "released")
