"""Rendering a report: pure functions from collected data (``nbaprops.report.collect``) to HTML
or Markdown. They read nothing but their arguments and the package's stylesheet."""
