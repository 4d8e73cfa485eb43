# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit playbooks' report files: the content the filters render, written only when content or mode differs,
atomically, with the modes the playbook's file + copy tasks set, in check mode and diff mode."""

import json
import os
import stat
from types import SimpleNamespace

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.cloudops.cbr.plugins.action.sharing_audit_write import (
    DIRECTORY_MODE,
    FILE_MODE,
    ActionModule,
    files_to_write,
    report_files,
)
from ansible_collections.cloudops.cbr.plugins.filter.sharing_audit_report import (
    sharing_audit_csv,
    sharing_audit_estate,
    sharing_audit_html,
)

OWNER, DR = ("0761a1f0e5b34c9b8c2f0f0a7d1e%04d" % n for n in (1, 2))
NAMES = ["sharing-audit.csv", "sharing-audit.html", "sharing-audit.json"]


def report(status="accepted", name="web-01 \u00e9t\u00e9"):
    member = {"dest_project_id": DR, "status": status, "flags": [], "created_at": "2026-01-01T00:00:00Z"}
    backup = {"id": "a5200000-0000-4000-8000-000000000001", "name": name, "project_id": OWNER, "members": [member]}
    backup.update(vault_id="3a1f0c1e-0000-4000-8000-000000000001", resource_type="OS::Nova::Server")
    return sharing_audit_estate({OWNER: {"backups": [backup]}}, estate={OWNER: "source", DR: "dr"})


def test_the_files_are_what_the_playbook_rendered_with_the_filters():
    files = report_files(report())
    assert sorted(files) == NAMES
    assert files["sharing-audit.html"] == sharing_audit_html(report()).encode("utf-8")
    assert files["sharing-audit.csv"] == sharing_audit_csv(report()).encode("utf-8")
    # to_nice_json(sort_keys=true) and a final newline: 4 spaces, "key": value, non-ASCII escaped.
    expected = json.dumps(report(), indent=4, sort_keys=True, separators=(",", ": ")) + "\n"
    assert files["sharing-audit.json"] == expected.encode("utf-8")
    assert b"\\u00e9t\\u00e9" in files["sharing-audit.json"]


def test_only_a_file_whose_content_or_mode_differs_is_written():
    wanted = {"a": b"1", "b": b"2", "c": b"3"}
    on_disk = {"a": (b"1", FILE_MODE), "b": (b"2", 0o600)}
    assert files_to_write(on_disk, wanted) == ["b", "c"]
    assert files_to_write({"a": (b"1", FILE_MODE)}, {"a": b"1"}) == []
    assert files_to_write({"a": (b"old", FILE_MODE)}, {"a": b"1"}) == ["a"]


def run(args, check_mode=False, diff=False):
    task = SimpleNamespace(
        args=args, async_val=0, check_mode=check_mode, diff=diff, action="cloudops.cbr.sharing_audit_write"
    )
    return ActionModule(task, SimpleNamespace(_shell=SimpleNamespace(tmpdir=None)), None, None, None).run(task_vars={})


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_report_is_written_once_then_left_alone(tmp_path):
    directory = tmp_path / "reports" / "nightly"
    first = run({"report": report(), "path": str(directory)})
    assert first["changed"] is True and not first.get("failed"), first
    assert sorted(os.listdir(directory)) == NAMES  # no temporary file left behind
    assert first["files"] == [str(directory / name) for name in NAMES]
    assert mode(directory) == DIRECTORY_MODE
    for name, content in report_files(report()).items():
        assert (directory / name).read_bytes() == content and mode(directory / name) == FILE_MODE
    inodes = dict((name, os.stat(directory / name).st_ino) for name in NAMES)

    again = run({"report": report(), "path": str(directory)}, diff=True)
    assert again["changed"] is False and again["diff"] == []
    assert dict((name, os.stat(directory / name).st_ino) for name in NAMES) == inodes  # not rewritten


def test_a_changed_report_or_mode_rewrites_only_what_differs(tmp_path):
    run({"report": report(), "path": str(tmp_path)})
    os.chmod(tmp_path / "sharing-audit.csv", 0o600)
    os.chmod(tmp_path, 0o700)
    html_inode = os.stat(tmp_path / "sharing-audit.html").st_ino
    fixed = run({"report": report(), "path": str(tmp_path)})
    assert fixed["changed"] is True
    assert mode(tmp_path / "sharing-audit.csv") == FILE_MODE and mode(tmp_path) == DIRECTORY_MODE
    assert os.stat(tmp_path / "sharing-audit.html").st_ino == html_inode

    changed = run({"report": report(status="rejected"), "path": str(tmp_path)}, diff=True)
    assert changed["changed"] is True
    assert [d["after_header"] for d in changed["diff"]] == [str(tmp_path / n) for n in NAMES]
    json_diff = changed["diff"][2]
    assert '"accepted"' in json_diff["before"] and '"rejected"' in json_diff["after"]
    rejected = report_files(report(status="rejected"))
    assert (tmp_path / "sharing-audit.json").read_bytes() == rejected["sharing-audit.json"]


def test_check_mode_says_what_would_be_written_and_writes_nothing(tmp_path):
    directory = tmp_path / "reports"
    result = run({"report": report(), "path": str(directory)}, check_mode=True, diff=True)
    assert result["changed"] is True and not directory.exists()
    assert [(d["before"], d["after_header"]) for d in result["diff"]] == [("", str(directory / n)) for n in NAMES]


def test_a_path_that_is_a_file_fails_and_writes_nothing(tmp_path):
    (tmp_path / "reports").write_text("not a directory")
    result = run({"report": report(), "path": str(tmp_path / "reports")})
    assert result["failed"] is True and "is not a directory" in result["msg"]
    assert sorted(os.listdir(tmp_path)) == ["reports"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({}, "report"),
        ({"report": {}, "password": "s3cret"}, "password"),  # only the report comes in
    ],
)
def test_options_are_checked_before_anything_is_written(tmp_path, args, message):
    with pytest.raises(AnsibleActionFail, match=message):
        run(dict(args, path=str(tmp_path / "reports")))
    assert os.listdir(tmp_path) == []
