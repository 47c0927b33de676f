"""Exceptions of the assistant layer, all under `referent_errors.ReferentError`: an English
`str` for the log, a Danish `user_message` that the edges show."""

from referent_errors import ReferentError


class AssistantError(ReferentError):
    """Base class for expected failures while answering or exporting."""

    technical_message = "The assistant failed"
    user_message = "Spørgsmålet kunne ikke besvares. Prøv igen."


class EmptyQuestionError(AssistantError):
    """The question is empty (after its whitespace is trimmed)."""

    technical_message = "The question is empty"
    user_message = "Skriv et spørgsmål – det var tomt."


class BriefingExportError(AssistantError):
    """A briefing could not be written (path not writable, disk full, …)."""

    technical_message = "The briefing cannot be written"
    user_message = "Briefingen kunne ikke gemmes."


class LLMUnavailableError(AssistantError):
    """The configured chat model cannot be reached or answered with nonsense."""

    technical_message = "The chat model cannot be reached"
    user_message = "Sprogmodellen kunne ikke nås."


class LLMConfigError(AssistantError):
    """The configured chat model cannot be made: an unknown provider or a missing package."""

    technical_message = "The chat model cannot be made"
    user_message = "Sprogmodellen kunne ikke sættes op."
