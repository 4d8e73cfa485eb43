# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_checks: id formats, list options and unknown names, each problem naming its option."""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import (
    list_problems,
    project_id_problem,
    resource_id_problem,
    unknown_names_problems,
    uuid_problem,
)

A = "a" * 32
UUID = "0b07081e-3ec7-4e77-8571-54e2947da422"


def test_id_problems_name_the_option():
    assert project_id_problem("dest_project_ids", A) is None
    assert "dest_project_ids" in project_id_problem("dest_project_ids", "A" * 32)
    assert uuid_problem("backup_id", UUID) is None
    assert "backup_id" in uuid_problem("backup_id", "0b07081e")


def test_a_trailing_newline_fails_every_id_format():
    assert "dest_project_ids" in project_id_problem("dest_project_ids", A + "\n")
    assert "backup_id" in uuid_problem("backup_id", UUID + "\n")
    assert "resource_ids" in resource_id_problem("resource_ids", UUID + "\n")


def test_a_server_name_is_not_a_resource_id():
    assert resource_id_problem("resource_ids", UUID) is None
    assert "'web-01'" in resource_id_problem("resource_ids", "web-01")
    assert "resource_name" in resource_id_problem("resource_ids", "web-01")


def test_list_problems_refuse_empty_and_name_each_duplicate_once():
    assert list_problems("backup_ids", None, uuid_problem) == []
    assert list_problems("backup_ids", [UUID], uuid_problem) == []
    assert list_problems("backup_ids", [], uuid_problem) == [
        "backup_ids must not be empty: list at least one value, or leave the option out"
    ]
    assert list_problems("dest_project_ids", [], project_id_problem, may_be_empty=True) == []
    assert list_problems("dest_project_ids", [A, A, A], project_id_problem) == [
        "dest_project_ids lists '%s' more than once" % A
    ]
    problems = list_problems("backup_ids", ["x", UUID, UUID], uuid_problem)
    assert len(problems) == 2 and "'x'" in problems[0] and UUID in problems[1]


def test_unknown_names_suggest_the_closest_known_one():
    known = ["share_and_accept_reject", "share_and_accept_purge"]
    assert unknown_names_problems("variable", ["share_and_accept_purge"], known) == []
    assert unknown_names_problems("variable", ["colour", "share_and_accept_rejects"], known) == [
        "variable colour is not known",
        "variable share_and_accept_rejects is not known (did you mean share_and_accept_reject?)",
    ]
