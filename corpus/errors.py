"""The one exception the corpus raises for problems a user can fix."""


class CorpusError(Exception):
    """An expected problem with the database, said in one line (no traceback)."""
