# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import plan_set_change

A, B, C = "a" * 32, "b" * 32, "c" * 32


@pytest.mark.parametrize(
    "current, wanted, state, purge, to_add, to_remove, after",
    [
        ([A], [A, B], "present", False, [B], [], [A, B]),
        ([A, C], [A, B], "present", False, [B], [], [A, B, C]),
        ([A, C], [A, B], "present", True, [B], [C], [A, B]),
        ([A, B], [A, B], "present", True, [], [], [A, B]),
        ([A, B], [B, C], "absent", False, [], [B], [A]),
        ([], [B], "absent", False, [], [], []),
        ([A, B], [], "present", True, [], [A, B], []),
    ],
)
def test_plan_set_change(current, wanted, state, purge, to_add, to_remove, after):
    plan = plan_set_change(current, wanted, state, purge)
    assert (plan.to_add, plan.to_remove, plan.before, plan.after) == (to_add, to_remove, sorted(current), after)


def test_id_problems_name_the_option():
    assert project_id_problem("dest_project_ids", A) is None
    assert "dest_project_ids" in project_id_problem("dest_project_ids", "A" * 32)
    assert uuid_problem("backup_id", "0b07081e-3ec7-4e77-8571-54e2947da422") is None
    assert "backup_id" in uuid_problem("backup_id", "0b07081e")
