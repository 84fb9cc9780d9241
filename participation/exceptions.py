"""Domain exceptions raised by services. Their message is translated and safe to show to the citizen."""


class ParticipationError(Exception):
    """Base for every refusal a service can give; `str(error)` is the citizen-facing message."""

    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class NotAllowed(ParticipationError):
    pass


class PhaseClosed(ParticipationError):
    pass


class AlreadyDone(ParticipationError):
    pass


class RateLimited(ParticipationError):
    pass
