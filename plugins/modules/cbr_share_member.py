#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_share_member
short_description: Share CBR backups with projects, or accept or reject shares
version_added: 0.1.0
description:
  - Manages the share members of Cloud Backup and Recovery (CBR) backups through the v3 members API, for one backup
    (O(backup_id)) or many in one task (O(backup_ids)), read and written concurrently by at most O(workers) threads.
  - "Owner side (the project that owns the backups): with O(dest_project_ids), makes sure each backup is shared
    with those projects (O(state=present)) or no longer shared with them (O(state=absent)). With O(purge=true),
    members that are not listed are removed too. Each backup is planned on its own, with the same rules."
  - "Receiving side (a destination project, with its own credentials): with O(status), accepts shares into its
    vaults (V(accepted)) or rejects them (V(rejected)), for O(backup_id), O(backup_ids), or every pending share from
    O(owner_project_ids). The request goes to the caller's own project, for its own membership."
  - "The receiving side uses only the calls a receiving project is documented to make: the lists of backups shared
    with it (C(GET /v3/{project}/backups?own_type=shared&member_status=...), one per status, every page), the backup
    by id, its own vaults, and the accept/reject request."
  - "It does not trust the C(member_status) filter blindly: a backup listed under two statuses is a contradiction, and
    the task fails naming those backups before any write. With O(owner_project_ids) only shares listed as V(pending)
    are answered; an accepted or rejected share changes only when its backup is named in O(backup_id) or
    O(backup_ids)."
  - The module reads the current state first and only writes what differs, so a second run sends no write.
    New members of a backup are added in one request; each removed member is one request.
  - "Before the first write to any backup, it checks what the API documents refusing: a backup that is not
    V(available) (C(BackupService.6702)); a destination that is the owner's own project or not a project id
    (C(6704)); more than 10 projects in total (C(6701)); and when accepting, a vault that is missing, not
    V(available) (C(6712)), locked, a replication vault, of the wrong type (C(6713)), or, with
    O(capacity_check=fail), too small by the backup's C(resource_size)."
  - "The API decides what the sources disagree on: whether a disk backup can be shared (a refusal comes back as
    C(BackupService.6700) with the API's message) and whether an encrypted one can (the module warns that the KMS
    key must be granted to the receiving projects). With O(backup_ids), such backups are written first; when the
    API refuses one, the task fails with every refusal and writes none of the other backups."
  - When a write fails, the task fails and its result still says every write made before it (C(changed),
    RV(backups), C(diff), and for O(backup_id) RV(added), RV(removed), RV(member)); for example the members
    O(purge=true) removed before the add failed.
  - A new member is V(pending) until the receiving project accepts or rejects it. Use O(wait) to wait for that.
  - For the legacy volume backup (VBS) sharing API, which has no accept step, see M(cloudops.cbr.cbr_backup_share).
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of one backup, a UUID. The results are also at the top level (RV(members), RV(added), RV(member)...).
      - Exactly one of O(backup_id), O(backup_ids), O(selection) and O(owner_project_ids) is required.
    type: str
  backup_ids:
    description:
      - Many backups in one task, each with the same semantics as O(backup_id); per-backup results are in
        RV(backups).
      - An empty list is refused, and so is a backup listed twice.
    type: list
    elements: str
  owner_project_ids:
    description:
      - Receiving side. Every share still V(pending) whose backup belongs to one of these projects (32 hexadecimal
        characters each), instead of listing backups. An empty list is refused, and so is a project listed twice.
    type: list
    elements: str
  dest_project_ids:
    description:
      - Owner side. The projects (32 hexadecimal characters each) to share the backups with, or, with
        O(state=absent), to stop sharing them with.
      - A backup can be shared with at most 10 projects in total.
      - An empty list with O(purge=true) removes every member; any other empty list is refused, and so is a
        project listed twice.
    type: list
    elements: str
  state:
    description:
      - Owner side. V(present) shares the backups with O(dest_project_ids); V(absent) removes those members.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - Owner side, with O(state=present). Also remove the members that are not in O(dest_project_ids).
    type: bool
    default: false
  status:
    description:
      - Receiving side. V(accepted) accepts the shares into a vault; V(rejected) rejects them.
      - Runs with the receiving project's credentials.
    type: str
    choices: [accepted, rejected]
  vault_id:
    description:
      - Receiving side, with O(status=accepted). The vault of the receiving project to accept every backup into.
      - When omitted, the module chooses a vault per backup among the caller's vaults (the fitting vault with the
        most room, largest backups first), adding up what it places into each vault.
      - The vault must be V(available), not locked, a backup vault (not a replication vault), hold the backup's
        type (server backups go to server vaults) and have room for the backup (see O(capacity_check)), by the rules of
        M(cloudops.cbr.cbr_vault_info). A O(vault_id) that cannot take a backup fails the task before any write.
      - A share already accepted counts as done when O(vault_id) is omitted. With O(vault_id), one accepted into
        another of the caller's vaults is accepted again into O(vault_id).
    type: str
  capacity_check:
    description:
      - Receiving side. The vault capacity rule ("the vault's remaining space must be greater than the size of the
        backup", CBR user guide) is computed from the backup's C(resource_size), the size of the backed-up resource.
        Which size the service compares is not documented, and an incremental backup is often much smaller.
      - V(warn) (the default) warns and goes on (the API then decides); V(fail) refuses before any write when a
        vault is too small by that measure (the check kit in the docs reports what your cloud compares).
      - A vault with C(auto_expand) grows by itself and is never too small.
    type: str
    choices: [fail, warn]
    default: warn
  wait:
    description:
      - Owner side. After the change, wait until no listed member of any backup is V(pending) any more (each has
        accepted or rejected), polling with backoff.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true) before failing with the members still pending.
    type: int
    default: 600
  workers:
    description:
      - How many backups are read or written at once, from 1 to 64.
    type: int
    default: 8
  selection:
    description:
      - Owner side. The backups to share, chosen the way M(cloudops.cbr.cbr_backup_info) chooses them, from the
        project's own backups, instead of O(backup_ids). The backup list is read once.
      - A selection that matches no backup fails the task (a typo or a policy that did not run), nothing written.
    type: dict
    version_added: 1.1.0
    suboptions:
      vault_id:
        description: Only backups in this vault. Sets the scope of O(rolling_window).
        type: str
      resource_ids:
        description: Only backups of these servers or disks. Sets the scope of O(rolling_window).
        type: list
        elements: str
        aliases: [resource_id]
      resource_name:
        description: Only backups of the resource with this name. Sets the scope of O(rolling_window).
        type: str
      resource_type:
        description: Only backups of this resource type.
        type: str
        choices: ["OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"]
      name:
        description: Only backups with exactly this name.
        type: str
      status:
        description:
          - Only backups in one of these statuses. V(available) with O(selection.newest_per_resource) unless given;
            with O(backup_wait_timeout) also V(protecting) and V(waiting_protect), the backups still being made.
        type: list
        elements: str
        choices: [available, protecting, deleting, restoring, error, waiting_protect, waiting_delete, waiting_restore]
      created_after:
        description: Only backups created at or after this UTC time or age (V(36h), V(7d)).
        type: str
      created_before:
        description: Only backups created at or before this UTC time or age.
        type: str
      newest_per_resource:
        description: Keep only the newest N backups of each resource.
        type: int
      limit:
        description: At most this many backups.
        type: int
      image_types:
        description:
          - Which kinds of entries to select, as in M(cloudops.cbr.cbr_backup_info). V(backup) are backups made in
            this region; V(replication) are copies replicated from another region.
        type: list
        elements: str
        choices: [backup, replication]
        default: [backup]
  rolling_window:
    description:
      - "Owner side, with O(selection) and O(state=present). Exactly the selected backups are shared with
        O(dest_project_ids): the shares of the other backups of the same scope (the backups of
        O(selection.vault_id), O(selection.resource_ids), O(selection.resource_name) and O(selection.resource_type),
        whatever their age or status) with those projects are removed. Other projects' shares are left alone."
      - The selection must name a scope (O(selection.vault_id), O(selection.resource_ids) or
        O(selection.resource_name)) and match at least one backup, else the task fails before any request or write.
      - Each removal is in C(removals) of its entry in RV(backups), with its reason.
    type: bool
    default: false
    version_added: 1.1.0
  older_than:
    description:
      - Owner side. Shares with O(dest_project_ids) older than this (from the member's C(created_at)) must end.
        An age as M(cloudops.cbr.cbr_backup_info) takes it (V(30d), V(36h)), or a UTC time such as
        C(2026-11-01T00:00:00Z) (shared before it).
      - With O(state=absent), only the members of O(dest_project_ids) that old are removed. With O(rolling_window),
        the removed shares say so too. With O(state=present), a backup the task shares whose share is that old
        fails the task before any write, since sharing it again at the next run would undo the expiry; narrow the
        selection (for example O(selection.created_after)) or raise the age.
      - A member whose C(created_at) cannot be read fails the task where its age decides.
    type: str
    version_added: 1.1.0
  pending_older_than:
    description:
      - Owner side. Like O(older_than), for the members still V(pending) (nobody accepted or rejected them).
    type: str
    version_added: 1.1.0
  backup_wait_timeout:
    description:
      - Owner side. Seconds to wait for backups still being made (V(protecting), V(waiting_protect)) to become
        V(available) before sharing them, reading them again with backoff. V(0) does not wait (such a backup is
        refused at once, C(BackupService.6702)).
      - A backup still not available when the time is up fails the task before any write, naming it.
    type: int
    default: 0
    version_added: 1.1.0
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Makes the same reads, sends no write, and reports C(changed) as a real run would, per backup.
      - On the receiving side, a share that does not exist yet (an earlier task of the same check run would
        create it) is reported as C(changed) with a warning ("not shared yet - would accept once shared"); a real
        run fails on it.
  diff_mode:
    support: full
    details:
      - The member set (owner side) or the caller's status and vault (receiving side); with O(backup_ids) or
        O(owner_project_ids), one entry per backup ID.
  platform:
    platforms: all
notes:
  - The member id in the API's URLs is the destination project id.
  - Removing a member fails with C(BackupService.6710) when the receiving project registered an image from the
    shared backup; the image must be deleted first.
  - Which vault a receiving project sees in its view of an accepted backup is not documented. When it is not one
    of the caller's vaults, the module cannot tell which vault an accepted share is in, warns, and leaves it.
"""

EXAMPLES = r"""
- name: Share the nightly web backup with the DR project (owner's credentials)
  module_defaults:
    group/cloudops.cbr.cbr:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: ops-automation
      password: "{{ vault_source_password }}"
      domain_name: acme
      project_name: eu-de
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf

- name: Share last night's backups with the DR project in one task
  cloudops.cbr.cbr_share_member:
    backup_ids: "{{ nightly.backups | map(attribute='id') | list }}"
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf

- name: Accept the share into the DR vault (DR project's credentials)
  module_defaults:
    group/cloudops.cbr.cbr:
      access_key: "{{ vault_dr_access_key }}"
      secret_key: "{{ vault_dr_secret_key }}"
      project_id: 075e6035d300d48c2fd0c00b78b71ebf
      region: eu-de
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    status: accepted
    vault_id: 3a1f0c1e-0000-4000-8000-000000000002

- name: Accept every pending share from the production project, the module choosing the vaults
  cloudops.cbr.cbr_share_member:
    owner_project_ids:
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0001
    status: accepted
    capacity_check: warn

- name: Share with exactly these projects, removing any other member
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0003
    purge: true

- name: Share and wait until both projects have answered
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0003
    wait: true
    wait_timeout: 1800

- name: Stop sharing with the customer project
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0004
    state: absent

- name: Reject a share on the receiving side
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    status: rejected
"""

RETURN = r"""
backups:
  description:
    - One entry per backup, in the order given (O(owner_project_ids) - by backup ID), with what this run did to it,
      also when the task failed after some writes.
    - Owner side entries have C(backup_id), C(changed), C(added), C(removed), C(removals), C(members), C(diff)
      and, with O(wait=true), C(pending). Receiving side entries have C(backup_id), C(changed), C(member),
      C(diff) and, with O(status=accepted), C(vault_id).
  returned: always
  type: list
  elements: dict
  sample:
    - backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
      changed: true
      added: ["075e6035d300d48c2fd0c00b78b71ebf"]
      removed: []
      members: [{"dest_project_id": "075e6035d300d48c2fd0c00b78b71ebf", "status": "pending"}]
      diff: {"before": {"dest_project_ids": []}, "after": {"dest_project_ids": ["075e6035d300d48c2fd0c00b78b71ebf"]}}
  contains:
    backup_id:
      description: The backup.
      type: str
    changed:
      description: Whether this run changed (in check mode, would change) the backup's sharing.
      type: bool
    vault_id:
      description:
        - Receiving side with O(status=accepted). The vault the backup was (or would be) accepted into, given or
          chosen; for a share left as it was, the vault it is known to be in, or null when that cannot be read.
      type: str
members:
  description:
    - Owner side. The members after the change, read again after a race (in check mode, the members as they are
      now).
  returned: owner side with O(backup_id)
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
      description: V(pending), V(accepted) or V(rejected).
      type: str
      sample: pending
    vault_id:
      description: The destination project's vault the backup was accepted into.
      type: str
      returned: when accepted
    created_at:
      description: When the backup was shared.
      type: str
      sample: "2020-02-05T10:38:34.210+00:00"
    updated_at:
      description: When the member's status last changed.
      type: str
      returned: when the status changed
added:
  description:
    - Owner side. The projects this run shared the backup with (in check mode, would share it with).
    - After a race these are what this run did, not what it planned. A project another run added first (the API
      answered C(BackupService.6714) or C(6703)) is not in it; a project whose add was applied although the answer
      was lost (a 5xx or no answer, then found on the re-read) is.
  returned: owner side with O(backup_id)
  type: list
  elements: str
  sample: ["075e6035d300d48c2fd0c00b78b71ebf"]
removed:
  description:
    - Owner side. The projects whose membership this run removed (in check mode, would remove). A member already
      gone at the first try of its removal (C(BackupService.6705), another run removed it) is not in it; one
      whose removal was retried after a 5xx or no answer, then found gone, is.
  returned: owner side with O(backup_id)
  type: list
  elements: str
  sample: []
removals:
  description:
    - Owner side. Why each project in RV(removed) was removed, one entry per project.
  returned: owner side with O(backup_id)
  type: list
  elements: dict
  version_added: 1.1.0
  sample: [{"dest_project_id": "0761a1f0e5b34c9b8c2f0f0a7d1e0004", "reason": "not in dest_project_ids (purge)"}]
  contains:
    dest_project_id:
      description: The project removed.
      type: str
    reason:
      description: Why, in words.
      type: str
member:
  description:
    - Receiving side. The caller's membership after the change (in check mode, as it is now).
    - The answer of the accept/reject request when one was sent, otherwise what the list of backups shared with the
      caller says (then without C(id)). Null in check mode when the backup is not shared yet.
  returned: receiving side with O(backup_id)
  type: dict
  contains:
    id:
      description: The ID of the share record.
      type: str
      returned: when the accept/reject request answered it
    backup_id:
      description: The shared backup.
      type: str
    dest_project_id:
      description: The receiving project, the caller's own.
      type: str
    status:
      description: V(pending), V(accepted) or V(rejected).
      type: str
      sample: accepted
    vault_id:
      description: The vault the backup was accepted into, when known.
      type: str
      returned: when accepted and known
      sample: 3a1f0c1e-0000-4000-8000-000000000002
pending:
  description:
    - Owner side with O(wait=true) and O(state=present), in a real run (check mode does not wait). The listed
      projects still V(pending) when the wait ended.
    - Empty when every listed project answered. When the wait timed out the task fails, and this lists the
      projects still pending. With O(backup_ids) it is in each entry of RV(backups).
  returned: owner side with O(wait=true), O(state=present) and O(backup_id), not in check mode
  type: list
  elements: str
  sample: []
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import (
    list_problems,
    project_id_problem,
    uuid_problem,
    workers_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._owner_plan import (
    OwnerRequest,
    own_project_problem,
    planned_result,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._receiver_plan import ReceiverRequest
from ansible_collections.cloudops.cbr.plugins.module_utils._removals import (
    BEING_MADE,
    age_cutoffs,
    empty_selection_problem,
    still_being_made,
    window_scope_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    SELECTION_ARGUMENT_SPEC,
    selection_problems,
    time_option_problem,
    utc_now,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._sharing import (
    SharingFailed,
    read_owner_plans,
    read_receiver_plan,
    read_selection,
    read_window_plans,
    wait_for_answers,
    wait_until_made,
    write_answers,
    write_owner_plans,
)

# cbr_backup_info's selection options, of the project's own backups.
OWN_SELECTION_SPEC = dict(
    (name, spec) for name, spec in SELECTION_ARGUMENT_SPEC.items() if name not in ("own_type", "member_status")
)


class ShareMember(CbrModule):
    """Options, dispatch and results; the decisions are in _owner_plan / _receiver_plan, the requests in _sharing."""

    argument_spec = dict(
        backup_id=dict(type="str"),
        backup_ids=dict(type="list", elements="str"),
        owner_project_ids=dict(type="list", elements="str"),
        dest_project_ids=dict(type="list", elements="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge=dict(type="bool", default=False),
        status=dict(type="str", choices=["accepted", "rejected"]),
        vault_id=dict(type="str"),
        capacity_check=dict(type="str", default="warn", choices=["fail", "warn"]),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        workers=dict(type="int", default=8),
        selection=dict(type="dict", options=OWN_SELECTION_SPEC),
        rolling_window=dict(type="bool", default=False),
        older_than=dict(type="str"),
        pending_older_than=dict(type="str"),
        backup_wait_timeout=dict(type="int", default=0),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        mutually_exclusive=[
            ("dest_project_ids", "status"),
            ("backup_id", "backup_ids", "selection", "owner_project_ids"),
            ("dest_project_ids", "owner_project_ids"),
        ],
        required_one_of=[
            ("dest_project_ids", "status"),
            ("backup_id", "backup_ids", "selection", "owner_project_ids"),
        ],
        required_if=[("rolling_window", True, ["selection"])],
    )

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"]) if params["backup_id"] is not None else None]
        problems += list_problems("backup_ids", params["backup_ids"], uuid_problem)
        problems.append(workers_problem(params["workers"]))
        if params["status"]:
            return [p for p in problems + self._receiver_problems() if p]
        if params["vault_id"]:
            problems.append("vault_id is for the receiving side (status=accepted), not with dest_project_ids")
        problems += list_problems("dest_project_ids", params["dest_project_ids"], project_id_problem, may_be_empty=True)
        problems.append(own_project_problem(self.owner_request(), params["project_id"]))
        if not params["dest_project_ids"] and not (params["state"] == "present" and params["purge"]):
            problems.append(
                "dest_project_ids must not be empty (use an empty list only with purge=true, to remove every member)"
            )
        if params["purge"] and params["state"] == "absent":
            problems.append("purge only applies to state=present")
        if params["wait_timeout"] < 0:
            problems.append("wait_timeout must be 0 or more, got %d" % params["wait_timeout"])
        return [p for p in problems + self._over_time_problems() if p]

    def _over_time_problems(self):
        """The selection, the rolling window, the ages and the wait for backups (owner side)."""
        params, now = self.params, utc_now()
        problems = [time_option_problem(name, params[name], now) for name in ("older_than", "pending_older_than")]
        if params["backup_wait_timeout"] < 0:
            problems.append("backup_wait_timeout must be 0 or more, got %d" % params["backup_wait_timeout"])
        if params["rolling_window"] and params["state"] != "present":
            problems.append("rolling_window keeps the selected backups shared: it needs state=present")
        selection = params["selection"]
        if selection is not None:
            selection.update(own_type="private", member_status=None)
            if params["backup_wait_timeout"] and not selection["status"]:
                selection["status"] = ["available"] + list(BEING_MADE)
            selection_checks, self.window = selection_problems(selection, now)
            problems += ["selection.%s" % problem for problem in selection_checks]
            if params["rolling_window"]:
                problems.append(window_scope_problem(selection))
        return problems

    def _receiver_problems(self):
        params = self.params
        problems = []
        if params["vault_id"]:
            problems.append(uuid_problem("vault_id", params["vault_id"]))
        if params["status"] == "rejected" and params["vault_id"]:
            problems.append("vault_id is only used with status=accepted")
        problems += list_problems("owner_project_ids", params["owner_project_ids"], project_id_problem)
        for name, wrong in (
            ("state", params["state"] == "absent"),
            ("purge", params["purge"]),
            ("wait", params["wait"]),
            ("selection", params["selection"] is not None),
            ("rolling_window", params["rolling_window"]),
            ("older_than", params["older_than"] is not None),
            ("pending_older_than", params["pending_older_than"] is not None),
            ("backup_wait_timeout", params["backup_wait_timeout"]),
        ):
            if wrong:
                problems.append("%s is for the owner side (dest_project_ids) and cannot be used with status" % name)
        return problems

    def concurrency(self):
        return self.params["workers"]

    def backup_ids(self):
        if self.params["backup_id"] is not None:
            return [self.params["backup_id"]]
        return list(dict.fromkeys(self.params["backup_ids"] or []))

    def owner_request(self):
        params = self.params
        expired_cutoff, pending_cutoff = age_cutoffs(params["older_than"], params["pending_older_than"], utc_now())
        return OwnerRequest(
            tuple(params["dest_project_ids"] or ()),
            params["state"],
            params["purge"],
            expired_cutoff=expired_cutoff,
            pending_cutoff=pending_cutoff,
        )

    def receiver_request(self):
        params = self.params
        owners = params["owner_project_ids"]
        return ReceiverRequest(
            project_id=self.client.project_id,
            status=params["status"],
            vault_id=params["vault_id"],
            capacity_check=params["capacity_check"],
            backup_ids=tuple(self.backup_ids()) if owners is None else (),
            owner_project_ids=tuple(owners) if owners is not None else None,
        )

    def run(self):
        try:
            results = self.run_receiver() if self.params["status"] else self.run_owner()
        except SharingFailed as failure:
            self.set_results(failure.results)
            self.module.fail_json(**dict(self.result, **failure.fail_kwargs()))
        self.set_results(results)

    def set_results(self, results):
        """The task's result from the per-backup results: the same keys on success and on failure."""
        self.result.update(changed=any(r["changed"] for r in results), backups=results)
        if self.params["backup_id"] is not None:
            # One backup: its result keys also at the top level.
            for result in results[:1]:
                self.result.update((k, v) for k, v in result.items() if k not in ("backup_id", "changed", "vault_id"))
        else:
            self.result["diff"] = dict(
                before=dict((r["backup_id"], r["diff"]["before"]) for r in results),
                after=dict((r["backup_id"], r["diff"]["after"]) for r in results),
            )

    def stop(self, problems, warnings=()):
        """Warn, then fail with every problem before any write (never half-write)."""
        for warning in warnings:
            self.module.warn(warning)
        if problems:
            self.module.fail_json(msg="; ".join(problems))

    # -- owner side

    def run_owner(self):
        params, request = self.params, self.owner_request()
        # The project id is only known here when the token was scoped by project name.
        self.stop([p for p in [own_project_problem(request, self.client.project_id)] if p])
        backup_ids, known, outside = self.backup_ids(), {}, []
        if params["selection"] is not None:
            selected, scope = read_selection(self.client, params["selection"], self.window)
            backup_ids, known = [b["id"] for b in selected], dict((b["id"], b) for b in scope)
            if params["rolling_window"]:
                outside = [b["id"] for b in scope if b["id"] not in backup_ids]
        if params["backup_wait_timeout"]:
            known.update(self.wait_for_backups(backup_ids, known))
        plans = read_owner_plans(self.client, request, backup_ids, params["workers"], known)
        window_plans = read_window_plans(self.client, request, outside, params["workers"])
        if params["selection"] is not None:
            empty = empty_selection_problem(
                backup_ids,
                dict((p.backup_id, p.members) for p in window_plans),
                request.dest_project_ids,
                params["rolling_window"],
            )
            self.stop([empty] if empty else [])
        plans += [plan for plan in window_plans if plan.change.to_remove]
        self.stop(
            [problem for plan in plans for problem in plan.problems],
            [warning for plan in plans for warning in plan.warnings],
        )
        if self.check_mode:
            return [planned_result(plan) for plan in plans]
        results = write_owner_plans(self.client, plans, params["workers"])
        if params["wait"] and params["state"] == "present":
            waiting = wait_for_answers(self.client, request, results, params["workers"], params["wait_timeout"])
            if waiting:
                raise SharingFailed(
                    "Timed out after %d seconds waiting for projects to accept or reject; still pending: %s"
                    % (
                        params["wait_timeout"],
                        "; ".join("backup %s: %s" % (r["backup_id"], ", ".join(r["pending"])) for r in waiting),
                    ),
                    results,
                )
        return results

    def wait_for_backups(self, backup_ids, known):
        """{id: backup} after waiting for the backups still being made; fails, before any write, when one still is."""
        params = self.params
        latest = wait_until_made(self.client, backup_ids, known, params["backup_wait_timeout"], params["workers"])
        self.stop(
            [
                "backup %s is still %s after waiting %d seconds (backup_wait_timeout): nothing was written"
                % (backup["id"], backup["status"], params["backup_wait_timeout"])
                for backup in still_being_made(latest.values())
            ]
        )
        return latest

    # -- receiving side

    def run_receiver(self):
        plan = read_receiver_plan(self.client, self.receiver_request(), self.params["workers"], self.check_mode)
        self.stop(plan.problems, plan.warnings)
        if self.check_mode:
            return plan.results
        return write_answers(self.client, plan, self.params["workers"])


def main():
    ShareMember().execute()


if __name__ == "__main__":
    main()
