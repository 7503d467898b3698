"""The summary tables: private to :mod:`data_access`; everything outside reads through
:mod:`data_access.queries`.

- :mod:`~data_access.summaries.tables` — the tables, the change log and its triggers, adding cells;
- :mod:`~data_access.summaries.arrays` and :mod:`~data_access.summaries.cells` — what one dossier
  adds (the counter declarations of :mod:`data_access.counter_spec` rendered to arrays);
- :mod:`~data_access.summaries.build` — building the tables from many rows in bounded memory;
- :mod:`~data_access.summaries.maintain` — rebuild, absorb the change log, refresh (the design);
- :mod:`~data_access.summaries.plan` — the pure planner: a period in, typed reads out;
- :mod:`~data_access.summaries.read`, :mod:`~data_access.summaries.procedures`,
  :mod:`~data_access.summaries.trend` — the counters, procedure counters and monthly trend read
  from the tables, each equal to its raw query.
"""
