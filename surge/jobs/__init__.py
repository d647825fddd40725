"""Background work: the outbox delivery worker and the scheduled upkeep, run by `surge worker` or
inside `surge serve` (one process of its own)."""
