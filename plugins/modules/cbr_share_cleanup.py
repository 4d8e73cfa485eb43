#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_share_cleanup
short_description: Remove the CBR share members a sharing audit flags
version_added: 1.1.0
description:
  - The remediation step of M(cloudops.cbr.cbr_shared_backup_info). It reads every backup of the project and its
    members with the same options and flags them the same way (C(unexpected_project), C(pending_too_long),
    C(expired)), then removes the flagged members whose flags are listed in O(remove).
  - "Never more than asked: a member of a project in O(expected_projects) is never removed; a member is removed
    only for a flag listed in O(remove); with O(approved_removals), only the members listed there (the plan a
    person approved) and still flagged now; C(age_unknown) (a C(created_at) that cannot be read) is never a
    reason to remove."
  - Every read comes first, and any failed read fails the task before the first removal. A member already gone
    (C(BackupService.6705)) counts as removed by someone else; a rerun removes nothing more.
  - In check mode it makes the same reads and returns the plan in RV(removed) without removing anything.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  remove:
    description:
      - The flags a member may be removed for. At least one.
      - V(unexpected_project) needs a non-empty O(expected_projects), V(pending_too_long) needs
        O(pending_older_than), V(expired) needs O(older_than).
    type: list
    elements: str
    choices: [unexpected_project, pending_too_long, expired]
    required: true
  expected_projects:
    description:
      - The projects backups may be shared with, 32 hexadecimal characters each. Any other project is flagged
        C(unexpected_project). Their members are never removed, whatever their flags.
    type: list
    elements: str
  pending_older_than:
    description:
      - Flag members still V(pending) after this long, C(pending_too_long), as
        M(cloudops.cbr.cbr_shared_backup_info) does. A number of seconds, or a number with C(s), C(m), C(h), C(d)
        or C(w), for example V(7d).
    type: str
  older_than:
    description:
      - Flag members shared longer ago than this, C(expired), from the member's C(created_at). An age as
        M(cloudops.cbr.cbr_backup_info) takes it (V(90d), V(36h)), or a UTC time such as C(2026-11-01T00:00:00Z).
    type: str
  approved_removals:
    description:
      - Only these members may be removed, each a dict with C(backup_id) and C(dest_project_id), for example
        RV(removed) of a check-mode run that a person approved (an AWX workflow passes it on as an artifact).
        A member listed here is still removed only when it is flagged now for a flag in O(remove).
      - An empty list removes nothing.
    type: list
    elements: dict
  vault_id:
    description:
      - Only backups in this vault (a UUID).
    type: str
  name:
    description:
      - Only backups with exactly this name.
    type: str
  workers:
    description:
      - How many member lists are read, and members removed, at once, from 1 to 64.
    type: int
    default: 8
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Makes the same reads, removes nothing and returns the plan (RV(removed), RV(kept)).
  diff_mode:
    support: full
    details:
      - The members of each backup it changes (would change) before and after, by backup ID.
  platform:
    platforms: all
seealso:
  - module: cloudops.cbr.cbr_shared_backup_info
  - module: cloudops.cbr.cbr_share_member
"""

EXAMPLES = r"""
- name: Show what a cleanup would remove (run with --check)
  cloudops.cbr.cbr_share_cleanup:
    expected_projects:
      - 075e6035d300d48c2fd0c00b78b71ebf
    pending_older_than: 7d
    remove: [unexpected_project, pending_too_long]
  check_mode: true
  register: cleanup_plan

- name: Remove only what was approved, if still flagged
  cloudops.cbr.cbr_share_cleanup:
    expected_projects:
      - 075e6035d300d48c2fd0c00b78b71ebf
    pending_older_than: 7d
    remove: [unexpected_project, pending_too_long]
    approved_removals: "{{ cleanup_plan.removed }}"

- name: End every share older than 90 days with projects outside the DR list
  cloudops.cbr.cbr_share_cleanup:
    expected_projects:
      - 075e6035d300d48c2fd0c00b78b71ebf
    older_than: 90d
    remove: [expired]
"""

RETURN = r"""
removed:
  description:
    - Every member this run removed (in check mode, would remove), by backup and project, with the flags it was
      removed for. A member another run removed first is not in it.
  returned: always
  type: list
  elements: dict
  contains:
    backup_id:
      description: The backup.
      type: str
      sample: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_id:
      description: The project that no longer sees the backup.
      type: str
      sample: 0761a1f0e5b34c9b8c2f0f0a7d1e0004
    status:
      description: The member's status when it was read.
      type: str
      sample: pending
    created_at:
      description: When the backup was shared with the project.
      type: str
    reasons:
      description: The flags it was removed for, among O(remove).
      type: list
      elements: str
      sample: [unexpected_project]
    why:
      description: The reasons in words.
      type: str
      sample: the project is not in expected_projects
kept:
  description: Every flagged member left in place, with its flags and why it stays.
  returned: always
  type: list
  elements: dict
  contains:
    backup_id:
      description: The backup.
      type: str
    dest_project_id:
      description: The project.
      type: str
    status:
      description: The member's status.
      type: str
    flags:
      description: Its flags.
      type: list
      elements: str
    why:
      description: Why it stays, for example C(expected project) or C(not in the approved plan).
      type: str
backups:
  description: One entry per backup that lost (would lose) members, as M(cloudops.cbr.cbr_share_member) returns them.
  returned: always
  type: list
  elements: dict
summary:
  description: Counts.
  returned: always
  type: dict
  contains:
    backups:
      description: How many backups were read.
      type: int
    flagged:
      description: How many members were flagged.
      type: int
    removed:
      description: How many members were (would be) removed.
      type: int
    kept:
      description: How many flagged members stay.
      type: int
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._audit import (
    AUDIT_ARGUMENT_SPEC,
    audit_own_backups,
    audit_problems,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, shown, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._owner_plan import planned_result, removal_plan
from ansible_collections.cloudops.cbr.plugins.module_utils._removals import (
    REMOVABLE_FLAGS,
    cleanup_problems,
    describe,
    plan_cleanup,
    removal_report,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._sharing import SharingFailed, write_owner_plans


def approved_problems(approved):
    """What is wrong with approved_removals: each entry a dict with a backup UUID and a project id."""
    problems = []
    for index, entry in enumerate(approved or []):
        name = "approved_removals[%d]" % index
        if not isinstance(entry, dict):
            problems.append("%s must be a dict with backup_id and dest_project_id, got %s" % (name, shown(entry)))
            continue
        problems.append(uuid_problem(name + ".backup_id", entry.get("backup_id")))
        problems.append(project_id_problem(name + ".dest_project_id", entry.get("dest_project_id")))
    return [p for p in problems if p]


class ShareCleanup(CbrModule):
    argument_spec = dict(
        AUDIT_ARGUMENT_SPEC,
        remove=dict(type="list", elements="str", choices=list(REMOVABLE_FLAGS), required=True),
        approved_removals=dict(type="list", elements="dict"),
    )
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        params = self.params
        return (
            audit_problems(params)
            + cleanup_problems(
                params["remove"], params["expected_projects"], params["older_than"], params["pending_older_than"]
            )
            + approved_problems(params["approved_removals"])
        )

    def concurrency(self):
        return self.params["workers"]

    def run(self):
        params = self.params
        backups, _vanished = audit_own_backups(self.client, params)
        approved = None
        if params["approved_removals"] is not None:
            approved = set((e["backup_id"], e["dest_project_id"]) for e in params["approved_removals"])
        removals, kept = plan_cleanup(backups, params["remove"], params["expected_projects"], approved)
        members = dict((backup["id"], backup["members"]) for backup in backups)
        plans = [
            removal_plan(
                backup_id,
                members[backup_id],
                [(r.project_id, describe(r.reasons)) for r in removals if r.backup_id == backup_id],
            )
            for backup_id in sorted(set(r.backup_id for r in removals))
        ]
        try:
            results = self.results(plans)
        except SharingFailed as failure:
            self.report(failure.results, removals, kept, len(backups))
            self.module.fail_json(**dict(self.result, **failure.fail_kwargs()))
        self.report(results, removals, kept, len(backups))

    def results(self, plans):
        if self.check_mode:
            return [planned_result(plan) for plan in plans]
        return write_owner_plans(self.client, plans, self.params["workers"])

    def report(self, results, removals, kept, backup_count):
        done = set((r["backup_id"], p) for r in results for p in r["removed"])
        removed = [removal_report(r) for r in removals if (r.backup_id, r.project_id) in done]
        self.result.update(
            changed=bool(removed),
            removed=removed,
            kept=[
                dict(backup_id=k.backup_id, dest_project_id=k.project_id, status=k.status, flags=k.flags, why=k.why)
                for k in kept
            ],
            backups=results,
            diff=dict(
                before=dict((r["backup_id"], r["diff"]["before"]) for r in results),
                after=dict((r["backup_id"], r["diff"]["after"]) for r in results),
            ),
            summary=dict(backups=backup_count, flagged=len(removals) + len(kept), removed=len(removed), kept=len(kept)),
        )


def main():
    ShareCleanup().execute()


if __name__ == "__main__":
    main()
