#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_vault_info
short_description: List CBR vaults, and which of them can take a shared backup
version_added: 0.1.0
description:
  - Lists the vaults of the project (every page), or shows one with O(vault_id).
  - With O(backup), says for each vault whether it can take that backup when the share is accepted, and why not,
    from the vault's own fields. The vault must be V(available) (C(billing.status)), not locked (C(locked)), a
    backup vault rather than a replication vault (C(billing.protect_type)), hold the backup's type
    (C(billing.object_type); server backups need a server vault) and have room for the backup, unless it grows by
    itself (C(auto_expand)).
  - The same rules decide the vault of M(cloudops.cbr.cbr_share_member) and of the C(cloudops.cbr.share_and_accept)
    role.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  vault_id:
    description:
      - Only this vault (a UUID). A vault that does not exist gives an empty list.
    type: str
  object_type:
    description:
      - Only vaults for this kind of backup.
    type: str
    choices: [server, disk, turbo]
  backup:
    description:
      - A backup as M(cloudops.cbr.cbr_backup_info) returns it; only C(resource_type) and C(resource_size) (GB)
        are used. Each vault then gets RV(vaults[].fits) and RV(vaults[].refusals).
    type: dict
  capacity_check:
    description:
      - With O(backup), how the capacity rule counts. The rule ("the vault's remaining space must be greater than
        the size of the backup", CBR user guide) is computed from C(resource_size), the size of the backed-up
        resource; which size the service compares is not documented (an incremental backup is often smaller).
      - V(warn) (the default) lists a shortfall in RV(vaults[].capacity_warnings) and leaves RV(vaults[].fits) to
        the other rules. V(fail) makes it a refusal (RV(vaults[].fits) false).
      - A vault with C(auto_expand) grows by itself and is never short.
    type: str
    choices: [fail, warn]
    default: warn
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
  - cloudops.cbr.attributes.info_module
"""

EXAMPLES = r"""
- name: Find the vaults of the DR project that can take the shared web backup
  cloudops.cbr.cbr_vault_info:
    backup:
      resource_type: "OS::Nova::Server"
      resource_size: 40
  register: dr_vaults

- name: Use the first one that fits
  ansible.builtin.set_fact:
    dr_vault_id: "{{ (dr_vaults.vaults | selectattr('fits') | first).id }}"
"""

RETURN = r"""
vaults:
  description: The vaults, with the API's field names, plus the fit for O(backup).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The vault ID.
      type: str
      sample: 3a1f0c1e-0000-4000-8000-000000000002
    name:
      description: The vault name.
      type: str
    billing:
      description: C(object_type), C(status), C(size) (GB), C(used) (MB) and more.
      type: dict
    free_mb:
      description: Room left in the vault, in MB (C(billing.size) x 1024 - C(billing.used)).
      type: int
      sample: 1024000
    fits:
      description: Whether the vault can take O(backup).
      type: bool
      returned: with O(backup)
    refusals:
      description: Why the vault cannot take O(backup) (empty when it fits).
      type: list
      elements: str
      returned: with O(backup)
      sample: ["it is a replication vault (protect_type), not a backup vault"]
    capacity_warnings:
      description: With O(capacity_check=warn), the capacity shortfall computed from the backup's C(resource_size).
      type: list
      elements: str
      returned: with O(backup) and O(capacity_check=warn)
      sample: ["it has 1024 MB free and the backup needs 40960 MB (40 GB, computed from its resource_size, ...)"]
count:
  description: The number of vaults returned.
  returned: always
  type: int
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import shown, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import (
    capacity_shortfalls,
    vault_free_mb,
    vault_refusals,
)


class VaultInfo(CbrModule):
    argument_spec = dict(
        vault_id=dict(type="str"),
        object_type=dict(type="str", choices=["server", "disk", "turbo"]),
        backup=dict(type="dict"),
        capacity_check=dict(type="str", default="warn", choices=["fail", "warn"]),
    )
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        params = self.params
        problems = [uuid_problem("vault_id", params["vault_id"]) if params["vault_id"] is not None else None]
        backup = params["backup"]
        if backup is not None:
            if not isinstance(backup.get("resource_type"), str):
                problems.append("backup must have a resource_type such as OS::Nova::Server")
            try:
                backup["resource_size"] = int(backup.get("resource_size"))
            except (TypeError, ValueError):
                problems.append("backup must have a resource_size in GB, got %s" % shown(backup.get("resource_size")))
        return [p for p in problems if p]

    def run(self):
        params = self.params
        if params["vault_id"]:
            vault = self.client.show_vault(params["vault_id"])
            vaults = [vault] if vault else []
        else:
            vaults = self.client.list_vaults({"object_type": params["object_type"]})
        for vault in vaults:
            vault["free_mb"] = vault_free_mb(vault)
            if params["backup"] is not None:
                refusals = vault_refusals(vault, params["backup"])
                shortfalls = capacity_shortfalls(vault, params["backup"])
                if params["capacity_check"] == "warn":
                    vault["capacity_warnings"] = shortfalls
                else:
                    refusals += shortfalls
                vault["refusals"] = refusals
                vault["fits"] = not refusals
        self.result.update(vaults=vaults, count=len(vaults))


def main():
    VaultInfo().execute()


if __name__ == "__main__":
    main()
