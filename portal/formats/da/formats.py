# Danish dates as Danes write them: lower-case names, "den" before a date after its weekday, "kl."
# before a time, abbreviated months with a full stop ("N": jan., feb., marts, …, sept., dec.).
DATE_FORMAT = "j. F Y"  # 16. december 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = r"j. F Y \k\l. H:i"  # 16. december 2026 kl. 14:30
YEAR_MONTH_FORMAT = "F Y"  # december 2026
MONTH_DAY_FORMAT = "j. F"  # 16. december

WEEKDAY_DATE_FORMAT = r"l \d\e\n j. F Y"  # onsdag den 16. december 2026
WEEKDAY_MONTH_DAY_FORMAT = r"l \d\e\n j. F"  # onsdag den 16. december
WEEKDAY_DATETIME_FORMAT = r"l \d\e\n j. F Y \k\l. H:i"  # onsdag den 16. december 2026 kl. 14:30
ABBR_DATE_FORMAT = "j. N Y"  # 16. dec. 2026
ABBR_MONTH_DAY_FORMAT = "j. N"  # 16. dec.
ABBR_DATETIME_FORMAT = r"j. N Y \k\l. H:i"  # 16. dec. 2026 kl. 14:30
ABBR_WEEKDAY_DATETIME_FORMAT = r"D. j. N \k\l. H:i"  # ons. 16. dec. kl. 14:30
