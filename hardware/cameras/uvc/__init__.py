"""UVC devices (webcams, HDMI grabbers) through OpenCV's VideoCapture.

The backend's face for the registry (`hardware.cameras.BACKENDS`): its rig options, `create` and `probe`.
"""

from hardware.cameras.uvc.camera import OPTIONS, create, probe

__all__ = ["OPTIONS", "create", "probe"]
