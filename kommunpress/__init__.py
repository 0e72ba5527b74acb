"""kommunpress: the command line that ties crawler, corpus, nlp and reports together."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kommunpress")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
