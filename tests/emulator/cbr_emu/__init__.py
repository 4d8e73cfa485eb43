# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts of the CBR emulator; tests/emulator/cbr_emulator.py is the entry point and the public API."""
