# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure decisions: set planning, status planning and what the API would refuse (fit rules).

Private to this collection: the interface may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

SetPlan = collections.namedtuple("SetPlan", "to_add to_remove before after")


def plan_set_change(current_ids, wanted_ids, state, purge):
    """What to add and remove so that a set of project ids matches the request; sorted lists.

    state=present adds the missing ones (and with purge removes the unlisted ones);
    state=absent removes the listed ones that are there.
    """
    have, want = set(current_ids), set(wanted_ids)
    if state == "absent":
        to_add, to_remove = set(), have & want
    else:
        to_add, to_remove = want - have, (have - want if purge else set())
    after = (have | to_add) - to_remove
    return SetPlan(sorted(to_add), sorted(to_remove), sorted(have), sorted(after))


def status_needs_change(member, status, vault_id):
    """True when the membership is not yet in the asked status (and, when accepted, vault)."""
    if member.get("status") != status:
        return True
    return status == "accepted" and member.get("vault_id") != vault_id


MAX_SHARE_PROJECTS = 10  # "A backup can be shared to a maximum of 10 projects" (CBR user guide)
SERVER_BACKUP = "OS::Nova::Server"
VAULT_OBJECT_TYPES = {"OS::Nova::Server": "server", "OS::Cinder::Volume": "disk", "OS::Sfs::Turbo": "turbo"}


def backup_share_problems(backup):
    """Why the API would refuse to share this backup (6700, 6702, 6709), as messages."""
    problems = []
    if backup.get("resource_type") != SERVER_BACKUP:
        problems.append("it is a %s backup and only cloud server backups can be shared (BackupService.6700)"
                        % backup.get("resource_type"))
    if backup.get("status") != "available":
        problems.append("its status is %s, not available (BackupService.6702)" % backup.get("status"))
    if (backup.get("extend_info") or {}).get("encrypted"):
        problems.append("it is encrypted, and backups of servers with encrypted disks cannot be shared "
                        "(BackupService.6709)")
    return problems


def vault_free_mb(vault):
    billing = vault.get("billing") or {}
    return billing.get("size", 0) * 1024 - billing.get("used", 0)


def vault_accept_problems(vault, backup):
    """Why the vault cannot take the shared backup (6712, 6713, capacity), as messages with the numbers.

    backup needs resource_type and resource_size (GB), as the backups API returns them.
    """
    billing = vault.get("billing") or {}
    problems = []
    if billing.get("status") != "available":
        problems.append("its status is %s, not available (BackupService.6712)" % billing.get("status"))
    wanted_type = VAULT_OBJECT_TYPES.get(backup.get("resource_type"))
    if billing.get("object_type") != wanted_type:
        problems.append("it holds %s backups and this backup (%s) needs a %s vault (BackupService.6713)"
                        % (billing.get("object_type"), backup.get("resource_type"), wanted_type))
    # "The vault's remaining space must be greater than the size of the backup" (CBR user guide)
    needed_mb = backup.get("resource_size", 0) * 1024
    if vault_free_mb(vault) < needed_mb:
        problems.append("it has %d MB free and the backup needs %d MB (%d GB)"
                        % (vault_free_mb(vault), needed_mb, backup.get("resource_size", 0)))
    return problems
