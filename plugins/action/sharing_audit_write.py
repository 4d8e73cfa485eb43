# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped audit playbooks' report files (private to playbooks/tasks/sharing_audit_report.yml): the report as
HTML, CSV and JSON in one directory on the controller, in one task.

What `file` + a three-item `copy` loop did with seven module runs (about 0.35 s of Ansible each) is done here in
the controller process: the same files, with the same content (the collection's filters render them) and modes
(directory 0755, files 0644). A file is written only when its content or mode differs, through a temporary file in
the same directory and os.replace, so a reader never sees half a report. Only the report comes in: no credential
can reach a file.
"""

import os
import stat
import tempfile

from ansible.plugins.action import ActionBase
from ansible.plugins.filter.core import to_nice_json

from ansible_collections.cloudops.cbr.plugins.filter.sharing_audit_report import (
    sharing_audit_csv,
    sharing_audit_html,
)

ARGUMENT_SPEC = dict(
    report=dict(type="dict", required=True),
    path=dict(type="path", required=True),
)
DIRECTORY_MODE = 0o755
FILE_MODE = 0o644


def report_files(report):
    """{file name: bytes} of the report, as the playbooks wrote them with the filters (JSON: to_nice_json)."""
    return {
        "sharing-audit.html": sharing_audit_html(report).encode("utf-8"),
        "sharing-audit.csv": sharing_audit_csv(report).encode("utf-8"),
        "sharing-audit.json": (to_nice_json(report, sort_keys=True) + "\n").encode("utf-8"),
    }


def files_to_write(on_disk, wanted):
    """The names of the wanted files whose (content, mode) differs from what is on disk ({name: (bytes, mode)},
    without the files that do not exist), in name order."""
    return sorted(name for name, content in wanted.items() if on_disk.get(name) != (content, FILE_MODE))


def _mode(path):
    """The permission bits of a path, None when it does not exist."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None


def read_files(directory, names):
    """{name: (bytes, mode)} of the named regular files that exist in the directory."""
    found = {}
    for name in names:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            with open(path, "rb") as current:
                found[name] = (current.read(), _mode(path))
    return found


def write_atomically(path, content, mode):
    """Write the file through a temporary file next to it and os.replace: readers see the old file or the new."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".%s." % os.path.basename(path))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _text(content):
    return content.decode("utf-8", errors="replace")


def file_diff(path, before, after):
    """A diff entry of one file: before (empty when it did not exist) and after, as the copy module shows them."""
    return dict(before_header=path, before=_text(before or b""), after_header=path, after=_text(after))


class ActionModule(ActionBase):
    _requires_connection = False  # works in the controller process only (ActionBase supports check mode)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validation, params = self.validate_argument_spec(ARGUMENT_SPEC)
        directory = params["path"]
        if os.path.exists(directory) and not os.path.isdir(directory):
            return dict(result, failed=True, changed=False, msg="path %s exists and is not a directory" % directory)
        wanted = report_files(params["report"])
        directory_mode = _mode(directory)
        on_disk = read_files(directory, wanted) if directory_mode is not None else {}
        names = files_to_write(on_disk, wanted)
        paths = [os.path.join(directory, name) for name in sorted(wanted)]
        result.update(changed=bool(names) or directory_mode != DIRECTORY_MODE, path=directory, files=paths)
        if self._task.diff:
            result["diff"] = [
                file_diff(os.path.join(directory, name), on_disk.get(name, (None,))[0], wanted[name]) for name in names
            ]
        if self._task.check_mode:
            return result
        try:
            if directory_mode is None:
                os.makedirs(directory, DIRECTORY_MODE)
            if directory_mode != DIRECTORY_MODE:
                os.chmod(directory, DIRECTORY_MODE)
            for name in names:
                write_atomically(os.path.join(directory, name), wanted[name], FILE_MODE)
        except OSError as error:
            return dict(result, failed=True, msg="cannot write the report in %s: %s" % (directory, error))
        return result
