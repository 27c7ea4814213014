"""Demo data for the quick start, the browser tests and benchmarks (``manage.py seed_demo``).

``personas`` holds the named demo logins, ``small`` the quick-start data set and ``municipality``
an Aarhus-sized data set for benchmarks. Never load any of it into a production database.
"""
