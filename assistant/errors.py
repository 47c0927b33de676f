"""Exceptions of the assistant layer; the edges show their Danish `message`."""


class AssistantError(Exception):
    """Base class for expected failures while answering or exporting."""


class BriefingExportError(AssistantError):
    """A briefing could not be written (path not writable, disk full, …)."""


class LLMUnavailableError(AssistantError):
    """The configured chat model cannot be reached or answered with nonsense."""


class LLMConfigError(AssistantError):
    """The configured chat model cannot be made: an unknown provider or a missing package."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
