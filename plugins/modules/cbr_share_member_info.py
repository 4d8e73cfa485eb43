#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_share_member_info
short_description: List the projects a CBR backup is shared with
version_added: 0.1.0
description:
  - Lists the share members of a Cloud Backup and Recovery (CBR) backup, that is the projects it is
    shared with, with their status (V(pending), V(accepted), V(rejected)) and the vault a member accepted it into.
  - Reads every page of the list unless O(limit) is set. Filters are applied by the API.
  - With O(dest_project_id) and no other filter, asks for that one member; a backup that is not shared with
    the project gives an empty list, not a failure.
  - Runs as the project that owns the backup.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of the backup, a UUID.
    type: str
    required: true
  dest_project_id:
    description:
      - Only the member for this destination project (32 hexadecimal characters).
    type: str
  status:
    description:
      - Only members in this status.
    type: str
    choices: [pending, accepted, rejected]
  vault_id:
    description:
      - Only members that accepted the backup into this vault (a UUID in the destination project).
    type: str
  image_id:
    description:
      - Only members that registered this image from the shared backup.
    type: str
  sort:
    description:
      - The order, as C(key1[:asc|desc],key2[:asc|desc]), for example V(created_at:asc). The API's default is
        V(created_at:desc).
    type: str
  limit:
    description:
      - Return at most this many members. By default every page is read.
    type: int
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
  - cloudops.cbr.attributes.info_module
"""

EXAMPLES = r"""
- name: List every project the web backup is shared with
  cloudops.cbr.cbr_share_member_info:
    auth_url: https://iam.eu-de.otc.t-systems.com/v3
    username: ops-automation
    password: "{{ vault_iam_password }}"
    domain_name: acme
    project_name: eu-de
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
  register: web_shares

- name: Audit the members that have not accepted yet, with auth set once for the play
  module_defaults:
    group/cloudops.cbr.cbr:
      access_key: "{{ lookup('ansible.builtin.env', 'OS_ACCESS_KEY') }}"
      secret_key: "{{ lookup('ansible.builtin.env', 'OS_SECRET_KEY') }}"
      project_id: 0761a1f0e5b34c9b8c2f0f0a7d1e0001
      region: eu-de
  block:
    - name: Find pending members
      cloudops.cbr.cbr_share_member_info:
        backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
        status: pending
      register: pending

    - name: Show who still has to accept
      ansible.builtin.debug:
        msg: "{{ pending.members | map(attribute='dest_project_id') | list }}"

- name: Check whether the DR project can see the backup
  cloudops.cbr.cbr_share_member_info:
    token: "{{ cbr_token }}"
    project_id: 0761a1f0e5b34c9b8c2f0f0a7d1e0001
    region: eu-de
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_id: 075e6035d300d48c2fd0c00b78b71ebf
  register: dr_share
"""

RETURN = r"""
members:
  description: The share members, in the API's order (newest first unless O(sort) says otherwise).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The ID of the share record.
      type: str
      sample: 3c5a3015-c3a0-4dc6-a1e2-917b90f62319
    backup_id:
      description: The shared backup.
      type: str
      sample: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_id:
      description: The project the backup is shared with.
      type: str
      sample: 075e6035d300d48c2fd0c00b78b71ebf
    status:
      description: V(pending) until the destination project accepts or rejects the share.
      type: str
      sample: pending
    vault_id:
      description: The destination project's vault the backup was accepted into.
      type: str
      returned: when accepted
      sample: 3a1f0c1e-0000-4000-8000-000000000002
    image_id:
      description: The image the destination project registered from the shared backup.
      type: str
      returned: when an image was registered
    created_at:
      description: When the backup was shared.
      type: str
      sample: "2020-02-05T10:38:34.210+00:00"
    updated_at:
      description: When the member's status last changed.
      type: str
      returned: when the status changed
      sample: "2020-02-05T11:02:10.118+00:00"
count:
  description: The number of members returned.
  returned: always
  type: int
  sample: 1
"""

import re

from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, shown, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule

SORT_RE = re.compile(r"^[a-z_]+(:(asc|desc))?(,[a-z_]+(:(asc|desc))?)*\Z")


class ShareMemberInfo(CbrModule):
    argument_spec = dict(
        backup_id=dict(type="str", required=True),
        dest_project_id=dict(type="str"),
        status=dict(type="str", choices=list(MEMBER_STATUSES)),
        vault_id=dict(type="str"),
        image_id=dict(type="str"),
        sort=dict(type="str"),
        limit=dict(type="int"),
    )
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"])]
        if params["dest_project_id"] is not None:
            problems.append(project_id_problem("dest_project_id", params["dest_project_id"]))
        for name in ("vault_id", "image_id"):
            if params[name] is not None:
                problems.append(uuid_problem(name, params[name]))
        if params["sort"] is not None and (len(params["sort"]) > 255 or not SORT_RE.match(params["sort"])):
            problems.append(
                "sort must look like created_at:desc or status:asc,created_at:desc (at most 255 "
                "characters), got %s" % shown(params["sort"])
            )
        if params["limit"] is not None and params["limit"] < 1:
            problems.append("limit must be 1 or more, got %d" % params["limit"])
        return [problem for problem in problems if problem]

    def run(self):
        params = self.params
        filters = dict((name, params[name]) for name in ("dest_project_id", "status", "vault_id", "image_id", "sort"))
        if params["dest_project_id"] and not any(filters[k] for k in ("status", "vault_id", "image_id")):
            member = self.client.show_member(params["backup_id"], params["dest_project_id"])
            members = [member] if member else []
        else:
            members = self.client.list_members(params["backup_id"], filters, limit=params["limit"])
        self.result.update(members=members, count=len(members))


def main():
    ShareMemberInfo().execute()


if __name__ == "__main__":
    main()
