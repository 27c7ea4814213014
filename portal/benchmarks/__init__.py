"""Benchmarks: the data a year of use adds to the demo municipality, and what the page benchmark serves
besides the portal. Nothing here is part of the product's URLs or settings."""
