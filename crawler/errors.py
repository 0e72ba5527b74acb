"""The crawler's user-facing error: a bad URL, topic or sources file, said in one line."""


class CrawlError(Exception):
    """Something the user can fix; `kommunpress` prints it as one line and exits with code 2."""
