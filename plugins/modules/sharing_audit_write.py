#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# The documentation of the action plugin plugins/action/sharing_audit_write.py, which does the work.

DOCUMENTATION = r"""
module: sharing_audit_write
short_description: Writes the sharing audit report as HTML, CSV and JSON files (internal to the audit playbooks)
version_added: 1.1.0
description:
  - Used by the shipped playbooks C(cloudops.cbr.sharing_audit) and C(cloudops.cbr.sharing_audit_merge); playbooks
    should use the filters P(cloudops.cbr.sharing_audit_html#filter) and P(cloudops.cbr.sharing_audit_csv#filter).
    Documented here because it is an action plugin of the collection.
  - Writes C(sharing-audit.html), C(sharing-audit.csv) and C(sharing-audit.json) into O(path) on the controller,
    rendered from O(report) by the collection's filters (the JSON with C(to_nice_json), keys sorted), making the
    directory (mode C(0755)) when needed. Files get mode C(0644).
  - A file is written only when its content or mode differs, through a temporary file in the same directory that
    replaces it, so a reader never sees half a file.
  - Runs on the controller in one task, without module runs.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  report:
    description:
      - The report, as the P(cloudops.cbr.sharing_audit_estate#filter) filter returns it (or one result of
        M(cloudops.cbr.cbr_shared_backup_info)).
    type: dict
    required: true
  path:
    description: The directory to write the files in, on the controller.
    type: path
    required: true
extends_documentation_fragment:
  - cloudops.cbr.attributes
attributes:
  check_mode:
    support: full
    details: Says which files would be written, and writes none.
  diff_mode:
    support: full
    details: The content of each file written, before and after.
  platform:
    platforms: posix
"""

EXAMPLES = r"""
- name: Write the HTML, CSV and JSON reports
  cloudops.cbr.sharing_audit_write:
    report: "{{ sharing_audit_report }}"
    path: /var/lib/awx/reports
  check_mode: false
"""

RETURN = r"""
path:
  description: The directory the files are in.
  returned: success
  type: str
  sample: /var/lib/awx/reports
files:
  description: The report's files, whether written or already as wanted.
  returned: success
  type: list
  elements: str
  sample: [/var/lib/awx/reports/sharing-audit.csv, /var/lib/awx/reports/sharing-audit.html,
    /var/lib/awx/reports/sharing-audit.json]
"""
