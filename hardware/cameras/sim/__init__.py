"""Simulated cameras: barcoded frames on the real recording path, faults from the rig, and a view of the screen.

The backend's face for the registry (`hardware.cameras.BACKENDS`): its rig options, `create` and `probe`.
"""

from hardware.cameras.sim.camera import OPTIONS, create, probe

__all__ = ["OPTIONS", "create", "probe"]
