"""The error type services raise; the API and the pages turn it into a 400/409 for people."""


class ServiceError(Exception):
    """A rule said no. `message` is one sentence for people; `errors` maps fields to messages."""

    status_code = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ConflictError(ServiceError):
    """The object changed under us (e.g. another reviewer decided first)."""

    status_code = 409


class NotAllowedError(ServiceError):
    """The rules say this person may not do this (e.g. decide on another office's case)."""

    status_code = 403
