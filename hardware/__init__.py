"""Cameras, the one clock, the recorder and frame-rate validation."""

from hardware import clock as clock  # pins PSYCH_GETSECS_CLOCK=1 before anything imports psychtoolbox
