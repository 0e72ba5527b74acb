"""kommunpress's spaCy components. Importing this package registers every factory."""

from nlp.components import (  # noqa: F401 - imported for their @Language.factory side effect
    dates,
    lemmatizer,
    measures,
    money,
    municipalities,
    organizations,
    persons,
    quotes,
    sentences,
    tokenizer,
)
