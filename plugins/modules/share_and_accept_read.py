#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# The documentation of the action plugin plugins/action/share_and_accept_read.py, which does the work.

DOCUMENTATION = r"""
module: share_and_accept_read
short_description: The reads of the share_and_accept role, for one project (internal to the role)
version_added: 1.0.0
description:
  - Used by the P(cloudops.cbr.share_and_accept#role) role; playbooks should use the public modules. Documented
    here because it is an action plugin of the collection.
  - For one credential set (O(auth)), or for every receiving project at once (O(recipients), concurrently, each
    with its own credentials), logs in once per project (password credentials, from the task, C(cloud) or the
    environment, by the collection's rule) and reads, without writing, what the role plans from - the owner's
    backups and their members, or the recipients' vaults.
  - Runs on the controller; the environment it takes credentials from is the controller's.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  auth:
    description:
      - The credentials, a dict of the collection's auth options (see M(cloudops.cbr.cbr_auth)). Empty takes them
        from the environment or C(OS_CLOUD).
    type: dict
    default: {}
  recipients:
    description:
      - Read these projects instead of O(auth)'s, concurrently (at most O(workers) at once), each with its own
        C(auth) (a dict of the collection's auth options); each entry also has C(project_id), the project it is
        meant to act in. The results are in RV(recipients). Only O(vaults) and O(workers) apply.
      - When any recipient cannot be read, the task fails naming every such recipient.
    type: list
    elements: dict
  backup_ids:
    description: Backups of this project to read, with RV(backups).
    type: list
    elements: str
    default: []
  selection:
    description: Select backups of this project with the options of M(cloudops.cbr.cbr_backup_info).
    type: dict
  members:
    description: Read the members of each backup read (concurrently).
    type: bool
    default: false
  vaults:
    description: Read the project's vaults.
    type: bool
    default: false
  workers:
    description: How many member lists (or recipients, with O(recipients)) are read at once, 1 to 64.
    type: int
    default: 8
extends_documentation_fragment:
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.info_module
notes:
  - Set C(no_log) on the task. RV(auth) holds the credentials as given; no token of the read is returned, so none
    is kept in the registered result.
"""

EXAMPLES = r"""
- name: Log in once as each receiving project and read its vaults, all in one task
  cloudops.cbr.share_and_accept_read:
    recipients: "{{ receiving_projects }}"
    vaults: true
  register: reads
  no_log: true

- name: Log in once as the DR project and read its vaults
  cloudops.cbr.share_and_accept_read:
    auth: "{{ dr_credentials }}"
    vaults: true
  register: dr
  no_log: true
"""

RETURN = r"""
auth:
  description:
    - What later tasks of this project pass to C(module_defaults) - O(auth) as given (never the read's token, so
      that a later task logs in again itself when its token would have expired).
  returned: success
  type: dict
project_id:
  description: The project the credentials act in (the token's project after a password login).
  returned: success
  type: str
  sample: 0761a1f0e5b34c9b8c2f0f0a7d1e0002
backups:
  description: The backups read, as M(cloudops.cbr.cbr_backup_info) returns them, with C(members) when O(members=true).
  returned: with O(backup_ids) or O(selection)
  type: list
  elements: dict
missing_backup_ids:
  description: The O(backup_ids) that are not backups of the project.
  returned: with O(backup_ids) or O(selection)
  type: list
  elements: str
vaults:
  description: The project's vaults, as M(cloudops.cbr.cbr_vault_info) returns them.
  returned: with O(vaults=true)
  type: list
  elements: dict
recipients:
  description: One entry per O(recipients) entry, in the order given.
  returned: with O(recipients)
  type: list
  elements: dict
  contains:
    item:
      description: The recipient read, as C(project_id) only (its credentials are not repeated).
      type: dict
    project_id:
      description: The project the recipient's credentials act in.
      type: str
    auth:
      description: What later tasks of this recipient pass to C(module_defaults), as RV(auth).
      type: dict
    vaults:
      description: The recipient's vaults, with O(vaults=true).
      type: list
      elements: dict
"""
