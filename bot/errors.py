"""The exceptions GreenGuide raises on purpose.

Expected outcomes (no answer found, an off-topic question) are values, not exceptions;
these are for things that went wrong. The command line prints them as one line.

    GreenbotError
    ├── ConfigError           settings that cannot work together
    ├── KnowledgeError        a knowledge folder that cannot be read at all
    └── RetrievalError        the index or its store failed
        ├── IndexNotBuilt     no index yet for the configured embedding model
        └── EmbeddingMismatch the index was built with another embedding model
"""


class GreenbotError(Exception):
    """Base class of every error GreenGuide raises on purpose."""


class ConfigError(GreenbotError):
    """Settings are missing or contradict each other."""


class KnowledgeError(GreenbotError):
    """The knowledge folder itself is unusable (missing, not a folder, no topics file)."""


class RetrievalError(GreenbotError):
    """Indexing or searching failed."""


class IndexNotBuilt(RetrievalError):
    """There is no index for the configured embedding model; run `greenbot index`."""


class EmbeddingMismatch(RetrievalError):
    """A query was embedded with a different model than the index it searches."""
