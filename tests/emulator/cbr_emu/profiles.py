# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's answers to what CONTRACT.md leaves UNCONFIRMED, in one table, per profile."""

STRICT, LENIENT = "strict", "lenient"
PROFILES = (STRICT, LENIENT)


class Unconfirmed:
    """One behaviour no independent source settles: the contract line, and the answer of each profile."""

    def __init__(self, contract, strict, lenient, reading):
        self.contract = contract
        self.values = {STRICT: strict, LENIENT: lenient}
        self.reading = reading

    def as_dict(self, profile):
        return {"contract": self.contract, "value": self.values[profile], "reading": self.reading}


# Every emulator answer to an UNCONFIRMED point of CONTRACT.md, in one place. Strict is the default:
# the reading that leaves a client the fewest calls and the least information.
UNCONFIRMED = {
    "recipient_reads_member_api": Unconfirmed(
        "2.4, 13.1",
        strict=False,
        lenient=True,
        reading="strict: a recipient's GET of the member list or of its own member record answers 404 "
        "BackupService.6200, as for any backup outside its project (the answer a client that treats 404 as "
        "'not shared' trips on; 13.1 says fall back on any 4xx). lenient: it may show its own record; "
        "listing stays 400 BackupService.6707.",
    ),
    "recipient_shows_pending_backup": Unconfirmed(
        "5, 13.1",
        strict=False,
        lenient=True,
        reading="strict: a recipient can GET a shared backup by id only after it accepted the share (else 404 "
        "BackupService.6200); its documented read before that is GET backups?own_type=shared. "
        "lenient: also while pending or rejected.",
    ),
    "add_member_answer_has_count": Unconfirmed(
        "2.2, 13.10",
        strict=False,
        lenient=True,
        reading="strict: AddMember answers {members} only, as the SDK model has it. lenient: plus count (OTC doc).",
    ),
    "duplicate_add_code": Unconfirmed(
        "2.2, 13.7",
        strict="6703",
        lenient="6714",
        reading="strict: a re-add answers 400 BackupService.6703 'The backup has been shared', the code a client that "
        "only knows 6714 mishandles (13.7: treat both alike). lenient: 6714, the contract's earlier choice.",
    ),
    "disk_backups_shareable": Unconfirmed(
        "0.8, 2.2, 13.2",
        strict=False,
        lenient=True,
        reading="strict: only server backups, as the OTC API reference says: 400 BackupService.6700. "
        "lenient: disk backups too (Huawei pages, OTC manual).",
    ),
    "encrypted_backups_shareable": Unconfirmed(
        "2.2, 13.2",
        strict=False,
        lenient=True,
        reading="strict: 400 BackupService.6709 (OTC error table). lenient: shareable (OTC manual: once the KMS key "
        "is granted).",
    ),
    "accept_capacity_size": Unconfirmed(
        "2.5, 6, 13.3",
        strict="resource_size",
        lenient="backup_size",
        reading="strict: accepting needs room for resource_size (GB) in the vault, else 400 BackupService.6129. "
        "lenient: room for the backup's own size (fixture backup_size_gb, default resource_size_gb).",
    ),
    "accepted_rejected_transitions": Unconfirmed(
        "2.5",
        strict=False,
        lenient=True,
        reading="strict: once accepted or rejected, a share only takes the same status again: accepted->rejected, "
        "rejected->accepted and back to pending answer 400 BackupService.6706 (the status value is invalid "
        "for the record). lenient: any status to any status.",
    ),
    "wrong_party_member_write": Unconfirmed(
        "2.5",
        strict="6707",
        lenient="6707",
        reading="both: the owner's PUT and a recipient's POST or DELETE answer 400 BackupService.6707 (emulator "
        "choice named in the contract; 9998 is a 500 and does not fit).",
    ),
    "vbs_deleted_is_string": Unconfirmed(
        "4, 13.6",
        strict=True,
        lenient=False,
        reading="strict: VBS `deleted` is the string 'false' / 'true' (golangsdk `Deleted string`). "
        "lenient: a JSON boolean.",
    ),
    "vbs_detail_lists_cancelled": Unconfirmed(
        "4, 13.6",
        strict=True,
        lenient=False,
        reading="strict: cancelled shares stay in detail, show and count with deleted 'true' and deleted_at set "
        "(nothing says they are left out). lenient: they disappear.",
    ),
    "recipient_sees_vault_id": Unconfirmed(
        "5, 13.11",
        strict="recipient",
        lenient="owner",
        reading="strict: a recipient's view of a shared backup has its own vault_id once accepted and none before "
        "(nothing of the owner's vaults). lenient: the owner's vault_id, always.",
    ),
    "throttle_status": Unconfirmed(
        "10",
        strict=429,
        lenient=429,
        reading="both: beyond the per-identity rate limit, HTTP 429 with the APIG.0308 body "
        "(the status is 'very likely' 429).",
    ),
    "project_name_scope_needs_domain": Unconfirmed(
        "7",
        strict=True,
        lenient=False,
        reading="strict: a token scoped by project name needs the project's domain too (Keystone; the "
        "contract says send it), else 401. lenient: the name alone finds the project.",
    ),
    "share_limit_code": Unconfirmed(
        "0.3, 2.2",
        strict="6701",
        lenient="6701",
        reading="both: an 11th share project of one backup answers 400 BackupService.6701 (the contract's 'probably').",
    ),
    "member_list_count": Unconfirmed(
        "2.3",
        strict="total",
        lenient="total",
        reading="both: the member list's count is the number of records matching the filters, not the page size.",
    ),
    "vbs_next_links": Unconfirmed(
        "4", False, False, "both: VBS detail sends no shared_links; a client pages by limit/offset."
    ),
    "error_bodies": Unconfirmed(
        "1, 4, 7",
        strict="documented",
        lenient="documented",
        reading="both: CBR and VBS answer {error_code, error_msg}; IAM Keystone-style {error: {code, title, message}}.",
    ),
    "auth_projects_token_only": Unconfirmed(
        "7; IAM API reference KeystoneListAuthProjects (not in CONTRACT.md)",
        strict=True,
        lenient=False,
        reading="strict: GET /v3/auth/projects takes X-Auth-Token only (the only header the reference names); "
        "an AK/SK-signed request answers 401. lenient: AK/SK too.",
    ),
    "add_member_batch": Unconfirmed(
        "2.2",
        strict="all-or-nothing",
        lenient="all-or-nothing",
        reading="both: one bad project id refuses the whole AddMember request, nothing added.",
    ),
    "foreign_project_path": Unconfirmed(
        "11", 403, 403, "both: a path project other than the credential's answers 403 APIG.0302."
    ),
    "accept_without_vault": Unconfirmed(
        "2.5", "6706", "6706", "both: accepting without vault_id answers 400 BackupService.6706."
    ),
    "vault_full_code": Unconfirmed("2.5", "6129", "6129", "both: a vault without room answers 400 BackupService.6129."),
}


# Faults of the field that no profile has: off unless a test turns them on (POST /__emulator__/switches,
# RunningEmulator.set_switches). Each one exposes a point where a client must not trust the API blindly.
SWITCHES = {
    "loose_member_status": "the backup list's member_status filter matches every share of the caller, whatever its "
    "status (a filter the cloud ignores or matches loosely; docs/api_notes.md, member_status)",
    "backup_created_per_page": "after each page of a backup list, the listed project gets a new backup, newest "
    "first in the unsorted order (a nightly policy running while an audit pages; docs/api_notes.md, paging)",
}
