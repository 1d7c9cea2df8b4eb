"""The CASME neutralization experiment and the `elicit` command line."""

import hardware  # noqa: F401  (sets the clock environment before PsychoPy is imported)

__version__ = "0.1.0"
