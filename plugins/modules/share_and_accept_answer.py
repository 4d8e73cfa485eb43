#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# The documentation of the action plugin plugins/action/share_and_accept_answer.py, which does the work.

DOCUMENTATION = r"""
module: share_and_accept_answer
short_description: The answers of the share_and_accept role, every recipient in one task (internal to the role)
version_added: 1.1.0
description:
  - Used by the P(cloudops.cbr.share_and_accept#role) role; playbooks should use M(cloudops.cbr.cbr_share_member).
    Documented here because it is an action plugin of the collection.
  - Runs M(cloudops.cbr.cbr_share_member) once for every entry of O(answers), on the task's host as a loop item
    would, with that answer's options and the credentials read for its recipient, and nothing else (no
    C(module_defaults)). The runs go on at once, at most O(workers) together, each in a temporary directory of its
    own; every answer runs whatever the others do.
  - Each run is the public module with all its checks; it reads what it answers again and is idempotent.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  answers:
    description:
      - The answers to give, as the role plans them - each with C(project_id) (the recipient), C(status)
        (C(accepted) or C(rejected)), C(backup_ids) and, to accept, C(vault_id).
    type: list
    elements: dict
    required: true
  recipients:
    description:
      - The recipients' reads, as RV(cloudops.cbr.share_and_accept_read#module:recipients) returns them; each
        answer runs with the C(auth) of the read whose C(item.project_id) is its C(project_id).
      - An answer without such a read fails the task before any run.
    type: list
    elements: dict
    required: true
  capacity_check:
    description: O(cloudops.cbr.cbr_share_member#module:capacity_check) of every run that accepts.
    type: str
    required: true
  workers:
    description:
      - How many runs go on at once, 1 to 64. The role passes its C(share_and_accept_answer_workers), 1 to 10.
        Each run is a Python process of about 35 MB.
    type: int
    default: 4
attributes:
  check_mode:
    support: none
    details: The role skips this task in check mode; its plan says what would be answered.
  diff_mode:
    support: full
    details: The diff of every run that changed something.
  platform:
    platforms: all
extends_documentation_fragment:
  - cloudops.cbr.attributes
notes:
  - The task result holds no credentials; each run's result is the module's, whose credential options are hidden.
"""

EXAMPLES = r"""
- name: Accept or reject the shares in each receiving project
  cloudops.cbr.share_and_accept_answer:
    answers: "{{ plan.answers }}"
    recipients: "{{ reads.recipients }}"
    capacity_check: fail
"""

RETURN = r"""
results:
  description:
    - The result of every run of M(cloudops.cbr.cbr_share_member), in the order of O(answers), each with the answer
      as C(item) (C(project_id), C(status), C(backup_ids), C(vault_id)).
  returned: always
  type: list
  elements: dict
msg:
  description: Every recipient whose run failed, each named with the module's message.
  returned: failure
  type: str
  sample: "recipient 0761a1f0e5b34c9b8c2f0f0a7d1e0003: Failed to set the share of backup ... to accepted ..."
status_code:
  description: The HTTP status of the first failed run's API error.
  returned: when a run failed on an API error
  type: int
error_code:
  description: The API's error code of the first failed run.
  returned: when a run failed on an API error
  type: str
error_msg:
  description: The API's message of the first failed run.
  returned: when a run failed on an API error
  type: str
request_id:
  description: The request id of the first failed run's API error.
  returned: when a run failed on an API error
  type: str
"""
