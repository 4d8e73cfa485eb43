# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_checks: id formats, each problem naming its option."""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, uuid_problem

A = "a" * 32


def test_id_problems_name_the_option():
    assert project_id_problem("dest_project_ids", A) is None
    assert "dest_project_ids" in project_id_problem("dest_project_ids", "A" * 32)
    assert uuid_problem("backup_id", "0b07081e-3ec7-4e77-8571-54e2947da422") is None
    assert "backup_id" in uuid_problem("backup_id", "0b07081e")
