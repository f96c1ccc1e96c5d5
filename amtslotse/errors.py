"""Errors meant for the person at the terminal.

UserFacingError          one paragraph that says what to do; no traceback
├── SetupError           something the machine lacks (Python 3.10, a port)
└── TrainingDataError    a broken training or content file
"""

from __future__ import annotations


class UserFacingError(Exception):
    exit_code = 1


class SetupError(UserFacingError):
    pass


class TrainingDataError(UserFacingError):
    pass
