"""Two ways tasks enter Hemei from outside, gathered for the views, commands and tests.

- :mod:`.decomposition`: a task decomposition table (任务分解表), checked row by row and
  imported all or nothing, safe to re-run;
- :mod:`.reports`: a meeting report read by the ingest package, reviewed, and accepted as a
  meeting with its decisions and draft tasks;
- :mod:`.access`: where a user may bring tasks in.
"""

from __future__ import annotations

from .decomposition import (
    DecompositionError,
    DecompositionPlan,
    ImportOutcome,
    PlannedTask,
    confirm_table,
    import_decomposition,
    plan_decomposition,
    replan,
    stage_table,
)
from .reports import (
    AcceptedDirective,
    DirectiveInitial,
    ReportError,
    Review,
    accept_draft,
    draft_directives,
    draft_people,
    review_of,
    start_draft,
)
from .rules import INTAKE_LEVELS, check_manage, manageable_divisions, theme_of

__all__ = [
    "INTAKE_LEVELS",
    "AcceptedDirective",
    "DecompositionError",
    "DecompositionPlan",
    "DirectiveInitial",
    "ImportOutcome",
    "PlannedTask",
    "ReportError",
    "Review",
    "accept_draft",
    "check_manage",
    "confirm_table",
    "draft_directives",
    "draft_people",
    "import_decomposition",
    "manageable_divisions",
    "plan_decomposition",
    "replan",
    "review_of",
    "stage_table",
    "start_draft",
    "theme_of",
]
