"""IIDC (FireWire) cameras such as the GRAS-03K2C through libdc1394 (ctypes).

The backend's face for the registry (`hardware.cameras.BACKENDS`): its rig options, `create` and `probe`.
"""

from hardware.cameras.iidc.camera import OPTIONS, create, probe

__all__ = ["OPTIONS", "create", "probe"]
