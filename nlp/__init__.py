"""Swedish text analysis for press releases: text in, structured findings out.

This package never touches the database. Importing it is cheap: spaCy is only
loaded when a pipeline is asked for, so the CLI and the corpus loader can use the
gazetteer without paying for it.
"""
