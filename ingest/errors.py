"""Exceptions of the ingest layer, all under `referent_errors.ReferentError`.

A `FileRejected` stops one file, never the run: the pipeline records its `user_message` (plain
Danish: the reason, and the detail in brackets) as the report's `reason` and goes on.
`IngestError` stops the run (no store, nothing ingested).
"""

from referent_errors import ReferentError


class IngestError(ReferentError):
    """The run as a whole cannot go on."""

    technical_message = "The ingest cannot go on"
    user_message = "Indlæsningen kunne ikke gennemføres."


class FileRejected(ReferentError):
    """One file cannot be ingested. A subclass names the kind: `code` for the report, the
    Danish reason as its `user_message` and an English `technical_message`; the raise site adds
    a `detail` (the specifics, in Danish where written by us: it reaches the report).

    `reason` is the Danish reason without the detail; `user_message` is "reason (detail)".
    """

    code = "rejected"
    technical_message = "The file cannot be ingested"
    user_message = "Filen kunne ikke indlæses."

    def __init__(self, detail: str = "", *, reason: str = "", message: str = "") -> None:
        self.reason = reason or type(self).user_message
        super().__init__(
            message,
            user_message=f"{self.reason} ({detail})" if detail else self.reason,
            detail=detail,
        )


class UnsupportedFormat(FileRejected):
    code = "unsupported"
    technical_message = "The file format is not supported"
    user_message = "Filtypen understøttes ikke."


class EncryptedFile(FileRejected):
    code = "encrypted"
    technical_message = "The file is encrypted or password-protected"
    user_message = "Filen er krypteret eller beskyttet med adgangskode."


class CorruptFile(FileRejected):
    code = "corrupt"
    technical_message = "The file is damaged and cannot be read"
    user_message = "Filen er beskadiget og kan ikke læses."


class EmptyDocument(FileRejected):
    code = "empty"
    technical_message = "The file holds no text"
    user_message = "Filen indeholder ingen tekst (tom, eller kun billeder uden tekstlag)."


class UndecodableText(FileRejected):
    code = "undecodable"
    technical_message = "The text cannot be decoded (unknown encoding or binary data)"
    user_message = "Teksten kunne ikke afkodes (ukendt tegnsæt eller binære data)."


class TooLarge(FileRejected):
    """A file over one of the ingest limits (see ingest.limits): refused before it is unpacked
    or read, so a zip bomb or a runaway text costs a stat or a zip directory, not the memory."""

    code = "too_large"
    technical_message = "The file exceeds an ingest limit"
    user_message = "Filen overskrider en grænse for, hvor store filer der indlæses."

    def __init__(self, what: str, setting: str, value: float, found: str) -> None:
        super().__init__(
            f"{found}; {setting} = {value:g}",
            reason=f"Filen overskrider grænsen for {what}",
            message=f"The file exceeds the limit {setting}",
        )
        self.setting = setting


class ScannedDocument(FileRejected):
    """A PDF whose pages are images without a text layer: counted apart from empty files."""

    code = "scanned"
    technical_message = "The file is a scan without a text layer (no OCR)"
    user_message = (
        "Filen er en scanning uden tekstlag: siderne er billeder, og Referent laver ikke "
        "tekstgenkendelse (OCR) af billeder."
    )


class IndexOnly(FileRejected):
    """An export's index of a meeting's files (Acadre's XML_<n>.xml): no text of its own."""

    code = "index"
    technical_message = "The file is an index of a meeting's files, with no text of its own"
    user_message = "Filen er et indeks over et mødes filer og har ingen tekst af sin egen."
