"""USB3 Vision / GigE Vision cameras through their GenTL producer (harvesters).

The backend's face for the registry (`hardware.cameras.BACKENDS`): its rig options, `create` and `probe`.
"""

from hardware.cameras.genicam.camera import OPTIONS, create, probe

__all__ = ["OPTIONS", "create", "probe"]
