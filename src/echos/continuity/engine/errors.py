"""The one error of the engine: bad input, with the field it is about."""


class ModelInvalid(ValueError):
    """Bad input; ``field`` names where it is (``streams[2].probability``), ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
