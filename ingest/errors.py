"""Exceptions of the ingest layer.

A `FileRejected` stops one file, never the run: the pipeline records its `reason` (plain Danish,
shown to the user as is) and goes on. `IngestError` stops the run (no store, nothing ingested).
"""


class IngestError(Exception):
    """The run as a whole cannot go on."""


class FileRejected(Exception):
    """One file cannot be ingested; `reason` says why in Danish, for the report."""

    code = "rejected"
    reason = "Filen kunne ikke indlæses."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.reason)
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason} ({self.detail})" if self.detail else self.reason


class UnsupportedFormat(FileRejected):
    code = "unsupported"
    reason = "Filtypen understøttes ikke."


class EncryptedFile(FileRejected):
    code = "encrypted"
    reason = "Filen er krypteret eller beskyttet med adgangskode."


class CorruptFile(FileRejected):
    code = "corrupt"
    reason = "Filen er beskadiget og kan ikke læses."


class EmptyDocument(FileRejected):
    code = "empty"
    reason = "Filen indeholder ingen tekst (tom, eller kun billeder uden tekstlag)."


class UndecodableText(FileRejected):
    code = "undecodable"
    reason = "Teksten kunne ikke afkodes (ukendt tegnsæt eller binære data)."


class TooLarge(FileRejected):
    """A file over one of the ingest limits (see ingest.limits): refused before it is unpacked
    or read, so a zip bomb or a runaway text costs a stat or a zip directory, not the memory."""

    code = "too_large"
    reason = "Filen overskrider en grænse for, hvor store filer der indlæses."

    def __init__(self, what: str, setting: str, value: float, found: str) -> None:
        super().__init__(f"{found}; {setting} = {value:g}")
        self.reason = f"Filen overskrider grænsen for {what}"
        self.setting = setting


class ScannedDocument(FileRejected):
    """A PDF whose pages are images without a text layer: counted apart from empty files."""

    code = "scanned"
    reason = (
        "Filen er en scanning uden tekstlag: siderne er billeder, og Referent laver ikke "
        "tekstgenkendelse (OCR) af billeder."
    )


class IndexOnly(FileRejected):
    """An export's index of a meeting's files (Acadre's XML_<n>.xml): no text of its own."""

    code = "index"
    reason = "Filen er et indeks over et mødes filer og har ingen tekst af sin egen."
