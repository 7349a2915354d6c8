"""Extraction of structured facts from clean article text (times, entities, …)."""
