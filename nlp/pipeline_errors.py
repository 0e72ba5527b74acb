"""The analyser's user-facing error, importable without loading spaCy."""


class PipelineError(Exception):
    """The pipeline cannot be loaded (a bad config file, a missing model); said in one line."""
