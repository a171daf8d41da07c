"""The one exception the ingest package raises on input it cannot use."""


class IngestError(ValueError):
    """Input that cannot be turned into a meeting report: empty, binary, unreadable, unknown type.

    The message is a clear English sentence meant for the person who supplied the input.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
