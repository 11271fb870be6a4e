"""Typed errors. Every message names the offending value and the valid range."""


class DCTheoryError(ValueError):
    """Base class of every error raised on bad input by dctheory."""


class ConfigError(DCTheoryError):
    """A configuration or argument is malformed or out of its valid range."""


class RegimeError(DCTheoryError):
    """The requested quantity is undefined in this regime (e.g. ridgeless m = n)."""


class PrecisionError(DCTheoryError):
    """The requested digits could not be confirmed by a higher-precision re-solve."""
