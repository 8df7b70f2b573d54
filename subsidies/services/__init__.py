"""Business actions of the consolidated grant, shared by the grant pages and the admin."""

from .allocations import (
    GRANTED_STAGES,
    adjust_allocation,
    check_adjustment,
    compute_allocations,
    copy_program_year,
    refuse_once_decided,
)

__all__ = [
    "GRANTED_STAGES",
    "adjust_allocation",
    "check_adjustment",
    "compute_allocations",
    "copy_program_year",
    "refuse_once_decided",
]
