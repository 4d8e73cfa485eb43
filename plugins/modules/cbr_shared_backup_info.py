#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_shared_backup_info
short_description: Audit who can see which CBR backup, for a whole project, in one task
version_added: 0.1.0
description:
  - "Owner view (default): every backup of the project (every page of the backup list, optionally only one vault
    or one backup name), each with its share members. The members of the backups are read concurrently
    by O(workers) threads over one connection pool, so the wall time grows with the number of backups divided
    by O(workers)."
  - "Receiver view (O(shared_with_me=true)): the backups other projects shared with this project, with the
    source project and the status of the share."
  - Flags members shared with a project outside O(expected_projects), members still pending after
    O(pending_older_than), and members shared longer than O(older_than). RV(summary) counts members by status
    and lists every flagged entry. M(cloudops.cbr.cbr_share_cleanup) removes what it flags.
  - Backups are sorted by name and ID, members by destination project, so that two runs compare line by line.
  - "An audit never passes because it could not read: a backup deleted while the audit runs is left out and
    counted in RV(summary.vanished), and any other failed read (an expired token, a locked access key, a 5xx
    after the retries) fails the task, unless O(on_read_error=report) reports it in RV(backups[].error) and
    RV(summary.errors)."
  - For one backup, M(cloudops.cbr.cbr_share_member_info) is enough.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  shared_with_me:
    description:
      - V(false) audits the project's own backups and whom they are shared with. V(true) lists the backups shared
        with this project.
    type: bool
    default: false
  vault_id:
    description:
      - Only backups in this vault (a UUID).
    type: str
  name:
    description:
      - Only backups with exactly this name (both views). The name goes to the API as its filter and is checked
        again here, since the API does not document whether its filter matches exactly; a looser match adds no
        backup to the audit.
    type: str
  member_status:
    description:
      - Only shares in this status (owner view, the members; receiver view, the backups).
    type: str
    choices: [pending, accepted, rejected]
  expected_projects:
    description:
      - The projects backups may be shared with (owner view) or shared from (receiver view), 32 hexadecimal
        characters each. Any other project is flagged C(unexpected_project).
      - An empty list means that no project is expected, so every member is flagged. A project listed twice is
        refused.
    type: list
    elements: str
  pending_older_than:
    description:
      - Flag members still V(pending) after this long, C(pending_too_long). A number of seconds, or a number with
        C(s), C(m), C(h), C(d) or C(w), for example V(7d). Owner view only (the receiver's backup list has no
        share date).
    type: str
  older_than:
    description:
      - Flag members shared longer ago than this, C(expired), from the member's C(created_at). An age back from
        now as M(cloudops.cbr.cbr_backup_info) takes it (a number and C(s), C(m), C(h), C(d) or C(w), for example
        V(90d)), or a UTC time such as C(2026-11-01T00:00:00Z). Owner view only.
      - A member whose C(created_at) cannot be read is flagged C(age_unknown) when O(older_than) or
        O(pending_older_than) is given, never taken as young.
    type: str
    version_added: 1.1.0
  on_read_error:
    description:
      - What a member read that fails for any reason other than "not there" does (owner view).
      - V(fail) fails the task with the API's error. V(report) records the error on the backup
        (RV(backups[].error)), counts it in RV(summary.errors) and goes on; the shipped audit playbook
        C(playbooks/sharing_audit.yml) then fails the job when RV(summary.errors) is not 0.
    type: str
    choices: [fail, report]
    default: fail
  workers:
    description:
      - How many member lists are read at once (owner view), from 1 to 64.
    type: int
    default: 8
  names:
    description:
      - Also read the names of the caller's vaults and of the projects the caller's user can access (IAM
        C(GET /v3/auth/projects), for password and token credentials only) and return them in RV(names).
      - The project names come from the IAM of O(auth_url), or where the password login went. A token is sent to no
        other IAM; with a token and no O(auth_url) (M(cloudops.cbr.cbr_auth) returns it), RV(names.projects) is
        empty and the task warns.
    type: bool
    default: true
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
  - cloudops.cbr.attributes.info_module
"""

EXAMPLES = r"""
- name: Audit every backup of the project and whom it is shared with
  cloudops.cbr.cbr_shared_backup_info:
    expected_projects:
      - 075e6035d300d48c2fd0c00b78b71ebf
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0003
    pending_older_than: 7d
  register: audit

- name: Fail the job when anything is flagged
  ansible.builtin.assert:
    that: audit.summary.flagged | length == 0
    fail_msg: "{{ audit.summary.flagged }}"

- name: List what other projects shared with us and we have not answered
  cloudops.cbr.cbr_shared_backup_info:
    shared_with_me: true
    member_status: pending
  register: inbox
"""

RETURN = r"""
backups:
  description: The backups, sorted by name and ID.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The backup ID.
      type: str
      sample: 0b07081e-3ec7-4e77-8571-54e2947da422
    name:
      description: The backup name.
      type: str
      sample: web-01-daily
    project_id:
      description: The project that owns the backup (the source project in the receiver view).
      type: str
    vault_id:
      description:
        - Owner view, the vault that holds the backup.
        - Receiver view, what the API shows the receiving project; which vault that is (the owner's, or the
          receiver's own once it accepted) is not documented (docs/api_notes.md §recipient.vault_id).
      type: str
    resource_type:
      description: The backed-up resource type, for example C(OS::Nova::Server).
      type: str
    status:
      description: The backup status.
      type: str
      sample: available
    members:
      description:
        - Owner view. The projects the backup is shared with, sorted by project, each with C(flags)
          (C(unexpected_project), C(pending_too_long), C(expired), C(age_unknown), and C(unknown_status) for a
          status that is none of V(pending), V(accepted), V(rejected), null included).
      type: list
      elements: dict
      sample: [{"dest_project_id": "075e6035d300d48c2fd0c00b78b71ebf", "status": "pending", "flags": []}]
    member_status:
      description: Receiver view. The status of the share with this project.
      type: str
      sample: pending
    flags:
      description:
        - Receiver view. C(unexpected_project) when the source project is not expected (or the entry names none).
      type: list
      elements: str
    error:
      description: Owner view with O(on_read_error=report). Why the members could not be read.
      type: str
      returned: when the members could not be read
names:
  description:
    - Names by ID of the projects the caller's user can access and of the caller's vaults, to show next to the IDs.
      A project the caller cannot see (or any project, with AK/SK credentials) has no entry.
  returned: when O(names=true)
  type: dict
  contains:
    projects:
      description: Project name by project ID.
      type: dict
      sample: {"0761a1f0e5b34c9b8c2f0f0a7d1e0001": "eu-de_source"}
    vaults:
      description: Vault name by vault ID.
      type: dict
      sample: {"3a1f0c1e-0000-4000-8000-000000000001": "vault-source-servers"}
summary:
  description: Counts and flagged entries.
  returned: always
  type: dict
  contains:
    backups:
      description: How many backups were audited.
      type: int
    shared_backups:
      description: How many of them are shared with at least one project.
      type: int
    members:
      description: How many share members (owner view) or shares (receiver view) there are in all.
      type: int
    by_status:
      description: Members (or shares) per status.
      type: dict
      sample: {"pending": 1, "accepted": 2, "rejected": 0}
    flagged:
      description: One entry per flagged member, with C(backup_id), C(project_id), C(status) and C(flags).
      type: list
      elements: dict
    errors:
      description: How many backups' members could not be read (only with O(on_read_error=report); else the task fails).
      type: int
    vanished:
      description: How many listed backups were gone when their members were read (deleted during the audit).
      type: int
"""


from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES, IamClient
from ansible_collections.cloudops.cbr.plugins.module_utils._audit import (
    AUDIT_ARGUMENT_SPEC,
    BACKUP_FIELDS,
    audit_own_backups,
    audit_problems,
    summarize,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._select import has_name


def visible_names(client, auth_url):
    """Names by ID of the caller's vaults, and of the projects the caller's user can access: IAM's
    GET /v3/auth/projects takes an X-Auth-Token (IAM API reference, KeystoneListAuthProjects), so AK/SK callers
    get vault names only."""
    vaults = dict((vault["id"], vault.get("name")) for vault in client.list_vaults())
    projects = {}
    if client.session.auth.kind in ("password", "token") and auth_url:
        listed = IamClient(client.session, auth_url).list_auth_projects()
        projects = dict((project["id"], project.get("name")) for project in listed)
    return dict(projects=projects, vaults=vaults)


def flag_unknown_statuses(backups):
    """Flag unknown_status on every member whose status is none of pending, accepted, rejected (null, or a value
    the member API does not document, docs/api_notes.md §members.record): the audit cannot say what it means."""
    for backup in backups:
        for member in backup.get("members", []):
            if member.get("status") not in MEMBER_STATUSES:
                member["flags"] = member.get("flags", []) + ["unknown_status"]


class SharedBackupInfo(CbrModule):
    argument_spec = dict(
        AUDIT_ARGUMENT_SPEC,
        shared_with_me=dict(type="bool", default=False),
        member_status=dict(type="str", choices=list(MEMBER_STATUSES)),
        on_read_error=dict(type="str", default="fail", choices=["fail", "report"]),
        names=dict(type="bool", default=True),
    )
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        problems = audit_problems(self.params)
        if self.params["shared_with_me"]:
            problems += [
                "%s needs the owner view: the list of backups shared with me has no share date" % name
                for name in ("pending_older_than", "older_than")
                if self.params[name] is not None
            ]
        return problems

    def concurrency(self):
        return self.params["workers"]

    def run(self):
        params = self.params
        expected = set(params["expected_projects"]) if params["expected_projects"] is not None else None
        vanished = 0
        if params["names"]:
            # First: two reads that then do not depend on a token lasting through the member reads.
            iam_url = self.connection.iam_url(self.client.session.auth)
            if iam_url is None and self.client.session.auth.kind == "token":
                self.module.warn(
                    "names.projects is empty: with a token, the project names are read from IAM only when auth_url "
                    "names the IAM that issued it (cbr_auth returns it in auth.auth_url)"
                )
            self.result["names"] = visible_names(self.client, iam_url)
        if params["shared_with_me"]:
            backups = self.shared_with_me(expected)
        else:
            backups, vanished = audit_own_backups(self.client, params, params["member_status"], params["on_read_error"])
            flag_unknown_statuses(backups)
        backups.sort(key=lambda backup: (backup.get("name") or "", backup["id"]))
        self.result.update(backups=backups, summary=summarize(backups, not params["shared_with_me"], vanished))

    def shared_with_me(self, expected):
        params, client = self.params, self.client
        backups = []
        # The backup list says nothing of the share's status: ask once per status (docs/api_notes.md §backups).
        for status in [params["member_status"]] if params["member_status"] else MEMBER_STATUSES:
            listed = client.list_backups(
                {"own_type": "shared", "member_status": status, "vault_id": params["vault_id"], "name": params["name"]}
            )
            for backup in (b for b in listed if has_name(b, params["name"])):
                entry = dict((k, backup.get(k)) for k in BACKUP_FIELDS)
                # An entry without project_id names no owner: it is not an expected one (and no KeyError).
                owner = backup.get("project_id")
                flags = ["unexpected_project"] if expected is not None and owner not in expected else []
                entry.update(member_status=status, flags=flags)
                backups.append(entry)
        return backups


def main():
    SharedBackupInfo().execute()


if __name__ == "__main__":
    main()
