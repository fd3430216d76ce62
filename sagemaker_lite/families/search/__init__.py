"""Search over the resources the emulator holds."""
