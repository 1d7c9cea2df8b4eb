"""Opening a page in the user's browser, only when there is a desktop to open it on."""

from __future__ import annotations

import logging
import os
import sys
import webbrowser

log = logging.getLogger(__name__)

NO_BROWSER_ENV = "ELICIT_NO_BROWSER"  # set (tests, CI, scripts): never open a browser


def has_desktop() -> bool:
    """A graphical session someone is looking at: $DISPLAY (or Wayland) set, output to a terminal,
    and not switched off by $ELICIT_NO_BROWSER. Tests capture the output, so they never open one."""
    if os.environ.get(NO_BROWSER_ENV):
        return False
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return sys.stdout.isatty()


def open_browser(url: str) -> bool:
    """Open ``url`` in the default browser when there is a desktop; returns whether it tried."""
    if not has_desktop():
        return False
    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        log.warning("could not open a browser; open the link by hand")
        return False
