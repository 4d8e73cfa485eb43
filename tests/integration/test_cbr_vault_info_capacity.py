# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_vault_info's capacity_check, in-process against the emulator."""

import pytest

from demo_ids import CUSTOMER, CUSTOMER_FULL_VAULT, CUSTOMER_VAULT, password_auth  # pylint: disable=import-error

BACKUP = {"resource_type": "OS::Nova::Server", "resource_size": 40}


def test_capacity_check_warn_turns_the_shortfall_into_a_warning(emulator, run_module):
    auth = password_auth(emulator.url, CUSTOMER)
    strict = run_module("cbr_vault_info", dict(auth, backup=dict(BACKUP), capacity_check="fail"))
    warn = run_module("cbr_vault_info", dict(auth, backup=dict(BACKUP)))  # warn is the default
    strict_by_name = {v["name"]: v for v in strict["vaults"]}
    warn_by_name = {v["name"]: v for v in warn["vaults"]}
    full_strict, full_warn = strict_by_name["vault-customer-full"], warn_by_name["vault-customer-full"]
    assert full_strict["fits"] is False and "computed from its resource_size" in full_strict["refusals"][0]
    assert "capacity_warnings" not in full_strict
    assert full_warn["fits"] is True and full_warn["refusals"] == []
    assert full_warn["capacity_warnings"] == full_strict["refusals"]
    # Type and status stay refusals either way.
    assert (
        warn_by_name["vault-customer-disks"]["fits"] is False and warn_by_name["vault-customer-frozen"]["fits"] is False
    )


@pytest.mark.parametrize(
    "fields, refusal",
    [
        ({"locked": True}, "it is locked (locked: true)"),
        ({"protect_type": "replication"}, "it is a replication vault (protect_type), not a backup vault"),
    ],
)
def test_a_locked_or_replication_vault_is_refused_from_its_own_fields(emulator, run_module, fields, refusal):
    emulator.state.vaults[CUSTOMER_VAULT].update(fields)
    result = run_module("cbr_vault_info", dict(password_auth(emulator.url, CUSTOMER), backup=dict(BACKUP)))
    vault = next(v for v in result["vaults"] if v["id"] == CUSTOMER_VAULT)
    assert vault["fits"] is False and vault["refusals"] == [refusal]


def test_an_auto_expand_vault_is_never_short(emulator, run_module):
    emulator.state.vaults[CUSTOMER_FULL_VAULT]["auto_expand"] = True
    args = dict(password_auth(emulator.url, CUSTOMER), backup=dict(BACKUP), capacity_check="fail")
    vault = next(v for v in run_module("cbr_vault_info", args)["vaults"] if v["id"] == CUSTOMER_FULL_VAULT)
    assert vault["fits"] is True and vault["refusals"] == []
