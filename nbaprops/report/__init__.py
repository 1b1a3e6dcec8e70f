"""Reports computed after the pipeline ran: the accuracy of the prediction systems and the HTML page
of a backfill's state.

``collect/`` reads (warehouse, markers, benchmark files, exports) and returns plain data;
``render/`` turns that data into HTML or Markdown and reads nothing; ``html.py`` and
``accuracy.py`` are the two reports end to end (what the rules and the CLI call).
"""
