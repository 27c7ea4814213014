# Day before month and a 24-hour clock, as the English formats write them.
from portal.formats.en.formats import *  # noqa: F403
