"""Time as the rules count it: reporting periods and the working-day calendar.

Below both ``data_access`` and ``metrics`` (each imports it; it imports neither): a period is what
a query is asked for and what a metric is computed over, and working days date every due time.
"""
