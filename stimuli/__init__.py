"""Stimulus manifests and the demo-clip generator."""
