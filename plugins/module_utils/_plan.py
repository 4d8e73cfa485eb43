# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure decisions: set planning, status planning and what the API would refuse (fit rules).

Private to this collection: the interface may change without notice.
"""

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
    """Why the API would refuse to share this backup, as messages: only what a documented code settles (6702).

    The kind of backup (6700) and encryption (6709) are left to the API: the sources disagree on both
    (docs/api_notes.md §members.shareable), so a refusal here could block a share the cloud accepts.
    """
    if backup.get("status") != "available":
        return ["its status is %s, not available (BackupService.6702)" % backup.get("status")]
    return []


def api_may_refuse_share(backup):
    """True when the sources disagree on whether this backup can be shared (a disk or encrypted backup,
    docs/api_notes.md §members.shareable): the API decides, so such shares are written before any other of the
    same task."""
    return backup.get("resource_type") != SERVER_BACKUP or bool((backup.get("extend_info") or {}).get("encrypted"))


def backup_share_warnings(backup):
    """What the receiving project must know before it can use the shared backup, as messages."""
    if (backup.get("extend_info") or {}).get("encrypted"):
        return [
            "backup %s is encrypted: the receiving projects can use it only once the KMS key is granted to "
            "them (CBR user guide); some clouds refuse the share (BackupService.6709)" % backup.get("id")
        ]
    return []


def vault_free_mb(vault):
    billing = vault.get("billing") or {}
    return billing.get("size", 0) * 1024 - billing.get("used", 0)


def vault_refusals(vault, backup):
    """Why the vault cannot take the shared backup whatever its size, as messages; [] when it can.

    From the vault's own fields (huaweicloudsdkcbr VaultGet and Billing; docs/api_notes.md §vaults): its status
    (6712), whether it is locked, whether it is a backup vault or a replication vault (protect_type), and whether
    it holds this kind of backup (object_type, 6713). backup needs resource_type, as the backups API returns it.
    """
    billing = vault.get("billing") or {}
    refusals = []
    if billing.get("status") != "available":
        refusals.append("its status is %s, not available (BackupService.6712)" % billing.get("status"))
    if vault.get("locked"):
        refusals.append(
            "it is locked (locked: true%s)"
            % (", by %s" % vault["sys_lock_source_service"] if vault.get("sys_lock_source_service") else "")
        )
    if billing.get("protect_type", "backup") != "backup":
        refusals.append("it is a %s vault (protect_type), not a backup vault" % billing.get("protect_type"))
    wanted_type = VAULT_OBJECT_TYPES.get(backup.get("resource_type"))
    if billing.get("object_type") != wanted_type:
        refusals.append(
            "it holds %s backups and this backup (%s) needs a %s vault (BackupService.6713)"
            % (billing.get("object_type"), backup.get("resource_type"), wanted_type)
        )
    return refusals


def capacity_shortfalls(vault, backup, placed_mb=0):
    """The capacity shortfall for the backup in the vault once placed_mb is promised to it, as messages ([] or one).

    "The vault's remaining space must be greater than the size of the backup" (CBR user guide). Which size the
    service compares is not documented; resource_size (GB, the backed-up resource) is an upper bound
    (docs/api_notes.md §vaults.capacity). A vault with auto_expand grows by itself: it is never short.
    """
    if vault.get("auto_expand"):
        return []
    free_mb = vault_free_mb(vault) - placed_mb
    needed_mb = (backup.get("resource_size") or 0) * 1024
    if free_mb >= needed_mb:
        return []
    return [
        "it has %d MB free%s and the backup needs %d MB (%d GB, computed from its resource_size, the size of the "
        "backed-up resource; the backup itself may be smaller)"
        % (
            free_mb,
            " after %d MB placed there for the other backups of this run" % placed_mb if placed_mb else "",
            needed_mb,
            backup.get("resource_size") or 0,
        )
    ]


# capacity_only: with capacity_check=fail, the backup has no vault only because of a capacity shortfall
# (capacity_check=warn would give it one): the one case where the hint about capacity_check helps.
VaultChoice = collections.namedtuple("VaultChoice", "backup_id vault_id problems warnings capacity_only")


def _vault_label(vault):
    return "%s (%s)" % (vault.get("id"), vault.get("name")) if vault.get("name") else str(vault.get("id"))


def assign_vaults(backups, vaults, fixed_vault_id=None, capacity_check="fail"):
    """Choose a vault for each backup to be accepted; returns VaultChoice per backup, in the order given.

    backups: dicts with id, resource_type and resource_size (GB); vaults: vault dicts as the API returns them.
    Space is added up: a vault that takes one backup has that much less room for the next (CBR user guide: "the
    vault's remaining space must be greater than the size of the backup").
    Rule: backups are placed largest first (then by id); each goes to the fitting vault with the most free space
    left (then lowest id); with fixed_vault_id every backup goes to that vault, which is checked the same way.
    A vault_refusals reason is always a problem. Capacity is computed from resource_size, which the service may
    not compare (docs/api_notes.md §vaults.capacity): with capacity_check="warn" a shortfall is a warning, the backup
    still gets a vault (the one with the most room), and nothing is added to problems.
    """
    placed = collections.defaultdict(int)
    candidates = sorted(vaults, key=lambda v: str(v.get("id")))
    if fixed_vault_id is not None:
        candidates = [v for v in candidates if v.get("id") == fixed_vault_id]
    choices = {}
    for backup in sorted(backups, key=lambda b: (-(b.get("resource_size") or 0), str(b.get("id")))):
        choices[backup.get("id")] = _choose_vault(backup, candidates, placed, fixed_vault_id, capacity_check)
        vault_id = choices[backup.get("id")].vault_id
        if vault_id is not None:
            placed[vault_id] += (backup.get("resource_size") or 0) * 1024
    return [choices[backup.get("id")] for backup in backups]


def _choose_vault(backup, candidates, placed, fixed_vault_id, capacity_check):
    if not candidates:
        missing = (
            "vault %s is not one of the project's vaults" % fixed_vault_id
            if fixed_vault_id is not None
            else "the project has no vault"
        )
        return VaultChoice(backup.get("id"), None, [missing], [], False)
    checked = [
        (vault, vault_refusals(vault, backup), capacity_shortfalls(vault, backup, placed[vault.get("id")]))
        for vault in candidates
    ]

    def room(entry):
        return vault_free_mb(entry[0]) - placed[entry[0].get("id")]

    fitting = [entry for entry in checked if not entry[1] and not entry[2]]
    usable = [entry for entry in checked if not entry[1]]
    if fitting:
        best = max(fitting, key=room)
        return VaultChoice(backup.get("id"), best[0].get("id"), [], [], False)
    if usable and capacity_check == "warn":
        best = max(usable, key=room)
        warning = "vault %s may be too small: %s" % (_vault_label(best[0]), "; ".join(best[2]))
        return VaultChoice(backup.get("id"), best[0].get("id"), [], [warning], False)
    reasons = [
        "vault %s: %s" % (_vault_label(vault), "; ".join(refusals or shortfalls))
        for vault, refusals, shortfalls in checked
    ]
    return VaultChoice(
        backup.get("id"),
        None,
        ["no vault can take it: " + " | ".join(reasons)] if fixed_vault_id is None else reasons,
        [],
        bool(usable),
    )


def capacity_hint(choices, option="capacity_check"):
    """The hint to add once to a failure message: only when a capacity shortfall alone left a backup without a
    vault (a type, status or lock refusal does not change with capacity_check)."""
    if any(choice.capacity_only for choice in choices):
        return " (%s=warn makes a capacity shortfall computed from resource_size a warning)" % option
    return ""
