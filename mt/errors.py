"""The error family of jisr. The CLI turns each into one sentence on stderr and an exit code."""


class JisrError(Exception):
    """Base of every error jisr reports to a user."""

    exit_code = 1


class InputError(JisrError):
    """An input file or stream cannot be read or holds nothing to translate."""

    exit_code = 2


class ModelError(JisrError):
    """A model cannot be found, downloaded or loaded."""

    exit_code = 2


class GlossaryError(JisrError):
    """A term base is malformed."""

    exit_code = 2


class OutputError(JisrError):
    """An output cannot be written."""

    exit_code = 3


class ConfigurationError(JisrError):
    """An option or setting has a bad value."""

    exit_code = 2


class Interrupted(JisrError):
    """A run was stopped by a signal; what it wrote is complete. Exit code 128 + the signal."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.exit_code = 128 + signum


class ClusterError(JisrError):
    """The Ray cluster of `jisr batch` lost workers more often than jisr retries; what was
    written is complete, and a rerun continues."""

    exit_code = 4
