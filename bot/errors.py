"""The exceptions GreenGuide raises on purpose.

Expected outcomes (no answer found, an off-topic question) are values, not exceptions;
these are for things that went wrong. The command line prints them as one line.

    GreenbotError
    ├── ConfigError           settings that cannot work together
    ├── KnowledgeError        a knowledge folder that cannot be read at all
    ├── PromptError           a prompt template or interface string that is missing or broken
    ├── RetrievalError        the index or its store failed
    │   ├── IndexNotBuilt     no index yet for the configured embedding model
    │   └── EmbeddingMismatch the index was built with another embedding model
    ├── LLMError              the model server failed (after its retries)
    │   ├── LLMUnreachable    it refused the connection, or the connection failed or broke
    │   ├── LLMTimeout        it did not answer in time (the call's timeout, or the answer's deadline)
    │   ├── LLMServerError    it kept answering 5xx
    │   ├── LLMRateLimited    it kept answering 429
    │   └── LLMBadOutput      it answered, but not with a reply the bot can use
    ├── StorageError          the SQLite database cannot be opened or migrated
    └── EvaluationError       an evaluation suite, baseline or run that cannot be used
"""


class GreenbotError(Exception):
    """Base class of every error GreenGuide raises on purpose."""


class ConfigError(GreenbotError):
    """Settings are missing or contradict each other."""


class KnowledgeError(GreenbotError):
    """The knowledge folder itself is unusable (missing, not a folder, no topics file)."""


class PromptError(GreenbotError):
    """A prompt template or interface string is missing, malformed or misused."""


class RetrievalError(GreenbotError):
    """Indexing or searching failed."""


class IndexNotBuilt(RetrievalError):
    """There is no index for the configured embedding model; run `greenbot index`."""


class EmbeddingMismatch(RetrievalError):
    """A query was embedded with a different model than the index it searches."""


class LLMError(GreenbotError):
    """The model server failed or answered with an error, after retries."""


class LLMBadOutput(LLMError):
    """The model answered, but the reply is unusable: not a chat completion, or empty, or it
    failed the checks after generation (citations, figures, language)."""


class LLMUnreachable(LLMError):
    """The model server refused the connection, could not be reached, or dropped the connection."""


class LLMTimeout(LLMError):
    """The model server did not answer within the call's timeout or the answer's deadline."""


class LLMServerError(LLMError):
    """The model server kept answering with a 5xx status."""


class LLMRateLimited(LLMError):
    """The model server kept refusing with 429 Too Many Requests."""


class StorageError(GreenbotError):
    """The database cannot be opened, migrated or written."""


class EvaluationError(GreenbotError):
    """An evaluation suite, gate file, baseline or earlier run cannot be read or used."""
