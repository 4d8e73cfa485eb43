# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_api without the network: one client per service, its URLs, what a VBS share says."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._api import CLIENTS, CbrClient, VbsClient, is_cancelled


def test_vbs_and_cbr_have_their_own_clients_and_versions():
    cbr = CLIENTS["cbr"](None, "https://cbr.example.com", "p" * 32)
    vbs = CLIENTS["vbs"](None, "https://vbs.example.com", "p" * 32)
    assert isinstance(cbr, CbrClient) and not hasattr(cbr, "list_shares")
    assert isinstance(vbs, VbsClient) and not hasattr(vbs, "list_members")
    assert cbr.url("backups", "a b") == "https://cbr.example.com/v3/%s/backups/a%%20b" % ("p" * 32)
    assert vbs.url("os-vendor-backup-sharing") == "https://vbs.example.com/v2/%s/os-vendor-backup-sharing" % ("p" * 32)


@pytest.mark.parametrize(
    "deleted, cancelled",
    [("true", True), ("True", True), (True, True), ("false", False), (False, False), (None, False)],
)
def test_a_vbs_share_is_cancelled_when_deleted_is_true(deleted, cancelled):
    assert is_cancelled({"deleted": deleted}) is cancelled
