"""The root of the errors the stimuli package raises (stimuli imports neither elicitation nor its errors).

Manifest files are checked by hardware.strict_yaml and refused with its ConfigError.
"""

from __future__ import annotations


class StimulusError(Exception):
    """Raised when a stimulus clip cannot be made or used; the message names the clip."""


class ClipGenerationError(StimulusError):
    """Raised when ffmpeg could not make a demo clip; the message carries ffmpeg's last words."""


__all__ = ["ClipGenerationError", "StimulusError"]
