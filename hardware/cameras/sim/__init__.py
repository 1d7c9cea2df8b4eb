"""Simulated cameras: barcoded frames on the real recording path, faults from the rig, and a view of the screen.

The backend's face for the registry (`hardware.cameras.BACKENDS`): its rig options, `create` and `probe`.

The expressions' schedule (``schedule``, ``Movement``) is the ground truth a synthetic spotting set is scored on.
"""

from hardware.cameras.sim.camera import OPTIONS, create, probe
from hardware.cameras.sim.expressions import MICRO_KINDS, Movement, schedule

__all__ = ["MICRO_KINDS", "OPTIONS", "Movement", "create", "probe", "schedule"]
