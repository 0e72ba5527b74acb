"""The one exception reports raise for problems a user can fix."""


class ReportError(Exception):
    """An expected problem with a report's input or options, said in one line (no traceback)."""
