# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ids and credentials of fixtures/estate.yml, for the tests."""

import os

ESTATE_FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "estate.yml")

ACME_DOMAIN, GLOBEX_DOMAIN, INITECH_DOMAIN = (
    "0d0acae0000000000000000000000001",
    "0d0910be000000000000000000000002",
    "0d01417ec00000000000000000000003",
)
# acme: project name -> id
ACME = {
    "eu-de": "acae0000000000000000000000000001",
    "eu-de_prod": "acae0000000000000000000000000002",
    "eu-de_dr": "acae0000000000000000000000000003",
    "eu-de_golden": "acae0000000000000000000000000004",
    "eu-nl": "acae0000000000000000000000000005",
    "eu-nl_prod": "acae0000000000000000000000000006",
    "eu-nl_dr": "acae0000000000000000000000000007",
    "eu-nl_web": "acae0000000000000000000000000008",
}
GLOBEX = {
    "eu-de": "910be000000000000000000000000001",
    "eu-de_app": "910be000000000000000000000000002",
    "eu-nl": "910be000000000000000000000000003",
    "eu-nl_app": "910be000000000000000000000000004",
}
# Outside the estate: initech's project that some estate backups are shared with.
PARTNER = "1417ec00000000000000000000000001"

# user -> (domain, password, access key, secret key); the AK/SK reach every project of the user.
ESTATE_OPS = ("acme", "estate-pass", "AKACMEESTATE00000001", "acme-estate-secret-0001")
GLOBEX_OPS = ("globex", "globex-pass", "AKGLOBEXESTATE000001", "globex-estate-secret-0001")
DR_OPS = ("acme", "dr-pass", None, None)  # a role in acme eu-de_dr only

WEB_01, DB_01, APP_01, WEB_NL_01, DB_NL_01, WEB_NL_02, CRM_01, CRM_02, ERP_01 = (
    "a5200000-eeee-4000-8000-0000000000%02d" % n for n in range(1, 10)
)


def password_login(user, domain, password, scope):
    """The body of a password login: scope is {"project": {...}} or {"domain": {...}}."""
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}},
            },
            "scope": scope,
        }
    }


def region_url(estate, region, listener="main"):
    """The base URL of a region's listener (main or vbs) on a running estate emulator."""
    return estate.emulator.url_of(region, listener)
