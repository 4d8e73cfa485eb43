# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IDs and users of fixtures/demo.yml, for the tests."""

OWNER = "0761a1f0e5b34c9b8c2f0f0a7d1e0001"
DR = "0761a1f0e5b34c9b8c2f0f0a7d1e0002"
GOLDEN = "0761a1f0e5b34c9b8c2f0f0a7d1e0003"
CUSTOMER = "0761a1f0e5b34c9b8c2f0f0a7d1e0004"
WEB = "a5200000-0000-4000-8000-000000000001"
DB = "a5200000-0000-4000-8000-000000000002"
DISK_BACKUP = "a5200000-0000-4000-8000-000000000003"
ENCRYPTED = "a5200000-0000-4000-8000-000000000004"
PROTECTING = "a5200000-0000-4000-8000-000000000005"
DR_VAULT = "3a1f0c1e-0000-4000-8000-000000000002"
GOLDEN_VAULT = "3a1f0c1e-0000-4000-8000-000000000003"
CUSTOMER_DISK_VAULT = "3a1f0c1e-0000-4000-8000-000000000004"
CUSTOMER_FULL_VAULT = "3a1f0c1e-0000-4000-8000-000000000005"
CUSTOMER_VAULT = "3a1f0c1e-0000-4000-8000-000000000006"
CUSTOMER_FROZEN_VAULT = "3a1f0c1e-0000-4000-8000-000000000007"
USERS = {
    OWNER: ("ops-source", "source-pass"),
    DR: ("ops-dr", "dr-pass"),
    GOLDEN: ("ops-golden", "golden-pass"),
    CUSTOMER: ("ops-customer", "customer-pass"),
}


def password_auth(url, project_id):
    """The module options that log in as the demo user of a project, against the emulator at url."""
    user, password = USERS[project_id]
    return {
        "auth_url": url + "/v3",
        "username": user,
        "password": password,
        "domain_name": "acme",
        "project_id": project_id,
    }
