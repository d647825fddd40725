"""Situation briefs: their schedule, exactly-once production, the figures, the narrative."""
