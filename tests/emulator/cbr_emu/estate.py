# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fixture for a large estate (benchmarks): accounts, each with projects across regions, one user with a
password and an AK/SK and a role in every project of its account, backups in every project, some shared.

Deterministic: the same arguments give the same fixture (ids count up, no randomness).
"""

PASSWORD = "estate-pass"


def estate_ids(account, number):
    """(project id, vault id, backup id prefix) of project `number` of account `account` (both from 0)."""
    project_id = "%08x%024x" % (0xE57A7E00 + account, number + 1)
    vault_id = "3a1f0c1e-%04x-4000-8000-%012x" % (account, number + 1)
    return project_id, vault_id, "a5200000-%04x-%04x-8000-" % (account, number + 1)


def make_estate(projects=50, backups=200, shared=0.1, regions=("eu-de", "eu-nl"), accounts=1):
    """A fixture: `accounts` domains (estate0, estate1, ...), each with `projects` projects spread over `regions`
    in turn (eu-de_p000, eu-nl_p001, ...), `backups` server backups in each project's vault, and the first
    `shared` share of them shared with the next project of the same region and account (accepted).

    Each account has the user ops<n> (password PASSWORD, access key AKESTATE<n>..., secret <key>-secret) with a
    role in every project of its account.
    """
    fixture = {"region": regions[0], "regions": list(regions), "accounts": [], "projects": [], "members": []}
    for account in range(accounts):
        domain = "estate%d" % account
        access_key = "AKESTATE%013d" % account
        fixture["accounts"].append(
            {
                "name": domain,
                "id": "%032x" % (0xD0E57A7E00 + account),
                "users": [
                    {
                        "name": "ops%d" % account,
                        "password": PASSWORD,
                        "access_keys": [{"access_key": access_key, "secret_key": access_key.lower() + "-secret"}],
                        "projects": "*",
                    }
                ],
            }
        )
        by_region = {}
        for number in range(projects):
            region = regions[number % len(regions)]
            project_id, vault_id, backup_prefix = estate_ids(account, number)
            by_region.setdefault(region, []).append(project_id)
            fixture["projects"].append(
                {
                    "id": project_id,
                    "name": "%s_p%03d" % (region, number),
                    "domain": domain,
                    "vaults": [
                        {
                            "id": vault_id,
                            "name": "vault-p%03d" % number,
                            "object_type": "server",
                            "status": "available",
                            "size_gb": 100000,
                            "used_mb": 0,
                        }
                    ],
                    "backups": [
                        {
                            "id": "%s%012x" % (backup_prefix, index + 1),
                            "name": "server-%03d-%04d" % (number, index),
                            "resource_type": "OS::Nova::Server",
                            "status": "available",
                            "vault_id": vault_id,
                            "resource_size_gb": 10,
                            "resource_id": "%08x-0000-4000-8000-%012x" % (number + 1, index + 1),
                            "resource_name": "server-%03d-%04d" % (number, index),
                            "created_at": "2026-11-%02dT02:00:00.000+00:00" % (1 + index % 28),
                        }
                        for index in range(backups)
                    ],
                }
            )
        for project in fixture["projects"][-projects:]:
            same_region = by_region[project["name"].split("_")[0]]
            if len(same_region) < 2:
                continue
            receiver = same_region[(same_region.index(project["id"]) + 1) % len(same_region)]
            receiver_vault = next(p["vaults"][0]["id"] for p in fixture["projects"] if p["id"] == receiver)
            for backup in project["backups"][: int(round(backups * shared))]:
                fixture["members"].append(
                    {
                        "backup_id": backup["id"],
                        "dest_project_id": receiver,
                        "status": "accepted",
                        "vault_id": receiver_vault,
                    }
                )
    return fixture
