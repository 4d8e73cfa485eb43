# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process module runner gives what ansible-playbook would get: results, check mode, masked secrets."""

from demo_ids import DR, OWNER, WEB, password_auth  # pylint: disable=import-error


def test_a_module_run_in_process_reads_through_real_http(emulator, run_module):
    result = run_module("cbr_share_member_info", dict(password_auth(emulator.url, OWNER), backup_id=WEB))
    assert result["changed"] is False and result["members"] == [] and result["count"] == 0
    assert [(entry["method"], entry["path"].rsplit("/", 1)[-1]) for entry in emulator.requests()] == [
        ("GET", "members")
    ]


def test_check_mode_reaches_the_module_and_it_writes_nothing(emulator, run_module):
    args = dict(password_auth(emulator.url, OWNER), backup_id=WEB, dest_project_ids=[DR])
    result = run_module("cbr_share_member", args, check_mode=True)
    assert result["changed"] is True
    assert emulator.writes() == []


def test_no_log_values_are_masked_in_the_result_as_under_ansible_playbook(emulator, run_module):
    args = dict(password_auth(emulator.url, OWNER), backup_id=WEB, limit=0)
    result = run_module("cbr_share_member_info", args)
    assert result["failed"] is True
    assert result["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "source-pass" not in repr(result)
