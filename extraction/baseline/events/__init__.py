"""Attack events: candidate clauses, casualty figures, weapons, named victims, grouping into events
and sites, and the records they become.
"""
