# English dates, day before month and a 24-hour clock, as in the Danish original.
DATE_FORMAT = "j F Y"  # 16 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 16 December 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 16 December

WEEKDAY_DATE_FORMAT = "l j F Y"  # Wednesday 16 December 2026
WEEKDAY_MONTH_DAY_FORMAT = "l j F"  # Wednesday 16 December
WEEKDAY_DATETIME_FORMAT = r"l j F Y \a\t H:i"  # Wednesday 16 December 2026 at 14:30
ABBR_DATE_FORMAT = "j M Y"  # 16 Dec 2026
ABBR_MONTH_DAY_FORMAT = "j M"  # 16 Dec
ABBR_DATETIME_FORMAT = "j M Y, H:i"  # 16 Dec 2026, 14:30
ABBR_WEEKDAY_DATETIME_FORMAT = "D j M, H:i"  # Wed 16 Dec, 14:30
SHORT_DATE_FORMAT = "d/m/Y"  # 16/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 16/12/2026 14:30
