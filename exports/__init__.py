"""Press exports: publication-ready charts and the data behind them, in Vietnamese, offline.

``options`` and ``request`` say what can be asked and check it against the data; ``source`` reads
aggregates (through the page's cache seam or an engine); ``figures`` with ``unit_data``,
``level_data``, ``parts`` and ``suppress`` builds the suppressed data and the texts; ``charts`` and
``style`` draw it in Altair; ``render`` writes PNG, SVG, PDF, CSV and XLSX; ``command`` is
``python cli.py export``.
"""
