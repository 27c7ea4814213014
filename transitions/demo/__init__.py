"""Demo data of the transitions app: the local canon and parent networks."""
