"""FLIR USB3 / GigE cameras through FLIR's PySpin (Spinnaker).

The backend's face for the registry (`hardware.cameras.BACKENDS`): its rig options, `create` and `probe`.
"""

from hardware.cameras.pyspin.camera import OPTIONS, create, probe

__all__ = ["OPTIONS", "create", "probe"]
