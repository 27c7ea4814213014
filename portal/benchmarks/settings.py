"""The portal's settings as the environment gives them, plus what ``bench_pages`` measures with: the
floor page's URL and a count of each request's SQL queries in a response header."""

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

ROOT_URLCONF = "portal.benchmarks.urls"
MIDDLEWARE = ["portal.benchmarks.views.count_queries", *MIDDLEWARE]
