"""The one error every dataset loader raises when data cannot be had."""


class DatasetUnavailable(RuntimeError):
    """A dataset is neither on disk nor downloadable. The message says which files to put where."""
