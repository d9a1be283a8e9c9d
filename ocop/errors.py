"""The two kinds of failure a user sees: bad input (exit 2) and failed work (exit 1), each as one line."""


class BadInput(Exception):
    """Something the user gave is wrong: a missing file, a malformed value, an unreachable URL. Exit 2."""

    exit_code = 2


class WorkFailed(Exception):
    """The input was fine but the work could not be done (or is not built yet). Exit 1."""

    exit_code = 1
