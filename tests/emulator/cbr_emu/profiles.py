# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's answers to what no source settles (docs/api_notes.md §unconfirmed), in one table, per profile."""

STRICT, LENIENT = "strict", "lenient"
PROFILES = (STRICT, LENIENT)


class Unconfirmed:
    """One behaviour no independent source settles: its section of docs/api_notes.md, and the answer of each profile."""

    def __init__(self, notes, strict, lenient, reading):
        self.notes = notes
        self.values = {STRICT: strict, LENIENT: lenient}
        self.reading = reading

    def as_dict(self, profile):
        return {"notes": self.notes, "value": self.values[profile], "reading": self.reading}


# Every emulator answer to a point no source settles (docs/api_notes.md §unconfirmed), in one place. Strict is the
# default: the reading that leaves a client the fewest calls and the least information.
UNCONFIRMED = {
    "recipient_reads_member_api": Unconfirmed(
        "§recipient.reads",
        strict=False,
        lenient=True,
        reading="strict: a recipient's GET of the member list or of its own member record answers 404 "
        "BackupService.6200, as for any backup outside its project (the answer a client that treats 404 as "
        "'not shared' trips on; §recipient.reads says fall back on any 4xx). lenient: it may show its own record; "
        "listing stays 400 BackupService.6707.",
    ),
    "recipient_shows_pending_backup": Unconfirmed(
        "§recipient.reads",
        strict=False,
        lenient=True,
        reading="strict: a recipient can GET a shared backup by id only after it accepted the share (else 404 "
        "BackupService.6200); its documented read before that is GET backups?own_type=shared. "
        "lenient: also while pending or rejected.",
    ),
    "add_member_answer_has_count": Unconfirmed(
        "§members.add",
        strict=False,
        lenient=True,
        reading="strict: AddMember answers {members} only, as the SDK model has it. lenient: plus count (OTC doc).",
    ),
    "duplicate_add_code": Unconfirmed(
        "§members.duplicate",
        strict="6703",
        lenient="6714",
        reading="strict: a re-add answers 400 BackupService.6703 'The backup has been shared', the code a client that "
        "only knows 6714 mishandles (§members.duplicate: treat both alike). lenient: 6714, the earlier reading.",
    ),
    "disk_backups_shareable": Unconfirmed(
        "§members.shareable",
        strict=True,
        lenient=True,
        reading="both: disk backups are shared like server backups (gophertelekomcloud's acceptance test shares an "
        "OS::Cinder::Volume backup on OTC and expects success; Huawei pages, OTC manual). The OTC API reference's "
        "6700 ('only cloud server backups') is the switch disk_backups_refused.",
    ),
    "encrypted_backups_shareable": Unconfirmed(
        "§members.shareable",
        strict=False,
        lenient=True,
        reading="strict: 400 BackupService.6709 (OTC error table). lenient: shareable (OTC manual: once the KMS key "
        "is granted).",
    ),
    "accept_capacity_size": Unconfirmed(
        "§vaults.capacity",
        strict="resource_size",
        lenient="backup_size",
        reading="strict: accepting needs room for resource_size (GB) in the vault, else 400 BackupService.6129. "
        "lenient: room for the backup's own size (fixture backup_size_gb, default resource_size_gb).",
    ),
    "backup_list_name_filter": Unconfirmed(
        "§backups",
        strict="loose",
        lenient="exact",
        reading="strict: the backup list's name filter matches any backup whose name contains the text, in any case "
        "(VBS documents fuzzy matching; CBR says nothing), so a client that wants one name re-checks it. "
        "lenient: the exact name only.",
    ),
    "backup_list_time_filter": Unconfirmed(
        "§backups",
        strict="ignored",
        lenient="created_at",
        reading="strict: start_time and end_time ('the time when the backup starts / ends') filter nothing. "
        "lenient: they bound created_at to the second, both bounds included (what the client re-checks).",
    ),
    "accepted_rejected_transitions": Unconfirmed(
        "§members.update",
        strict="accepted->rejected",
        lenient="any",
        reading="strict: accepted->rejected is allowed (terraform-provider-huaweicloud's accepter sets an accepted "
        "share to rejected on destroy); rejected->accepted and back to pending answer 400 BackupService.6706 (no "
        "source does them). lenient: any status to any status.",
    ),
    "wrong_party_member_write": Unconfirmed(
        "§members.update",
        strict="6707",
        lenient="6707",
        reading="both: the owner's PUT and a recipient's POST or DELETE answer 400 BackupService.6707 (emulator "
        "choice; 9998 is a 500 and does not fit).",
    ),
    "vbs_deleted_is_string": Unconfirmed(
        "§vbs.deleted",
        strict=True,
        lenient=False,
        reading="strict: VBS `deleted` is the string 'false' / 'true' (golangsdk `Deleted string`). "
        "lenient: a JSON boolean.",
    ),
    "vbs_detail_lists_cancelled": Unconfirmed(
        "§vbs.deleted",
        strict=True,
        lenient=False,
        reading="strict: cancelled shares stay in detail, show and count with deleted 'true' and deleted_at set "
        "(nothing says they are left out). lenient: they disappear.",
    ),
    "recipient_sees_vault_id": Unconfirmed(
        "§recipient.vault_id",
        strict="recipient",
        lenient="owner",
        reading="strict: a recipient's view of a shared backup has its own vault_id once accepted and none before "
        "(nothing of the owner's vaults). lenient: the owner's vault_id, always.",
    ),
    "throttle_status": Unconfirmed(
        "§throttling",
        strict=429,
        lenient=429,
        reading="both: beyond the per-identity rate limit, HTTP 429 with the APIG.0308 body "
        "(the status is 'very likely' 429).",
    ),
    "project_name_scope_needs_domain": Unconfirmed(
        "§iam.token",
        strict=True,
        lenient=False,
        reading="strict: a token scoped by project name needs the project's domain too (Keystone; the "
        "client sends it), else 401. lenient: the name alone finds the project.",
    ),
    "share_limit_code": Unconfirmed(
        "§members.add",
        strict="6701",
        lenient="6701",
        reading="both: an 11th share project of one backup answers 400 BackupService.6701 (the closest entry of the "
        "error table).",
    ),
    "member_list_count": Unconfirmed(
        "§members.list",
        strict="total",
        lenient="total",
        reading="both: the member list's count is the number of records matching the filters, not the page size.",
    ),
    "vbs_next_links": Unconfirmed(
        "§vbs", False, False, "both: VBS detail sends no shared_links; a client pages by limit/offset."
    ),
    "error_bodies": Unconfirmed(
        "§errors.body",
        strict="documented",
        lenient="documented",
        reading="both: CBR and VBS answer {error_code, error_msg}; IAM Keystone-style {error: {code, title, message}}.",
    ),
    "auth_projects_token_only": Unconfirmed(
        "§iam.projects",
        strict=False,
        lenient=False,
        reading="both: GET /v3/auth/projects takes a token or an AK/SK signature. The reference names only "
        "X-Auth-Token, but the official SDK signs its IAM Keystone calls with AK/SK (huaweicloudsdkiam "
        "KeystoneListAuthProjects with GlobalCredentials; huaweicloudsdkcore IamHelper lists /v3/projects and "
        "/v3/auth/domains so), and a source outweighs the strictest reading. True refuses AK/SK with 401.",
    ),
    "other_region": Unconfirmed(
        "§iam.regions",
        strict=401,
        lenient=401,
        reading="both: a token used in another region than the one whose IAM issued it, or a request for a project "
        "of another region, answers 401 APIG.0301 (the constraint is documented, the answer is the emulator's).",
    ),
    "add_member_batch": Unconfirmed(
        "§members.add",
        strict="all-or-nothing",
        lenient="all-or-nothing",
        reading="both: one bad project id refuses the whole AddMember request, nothing added.",
    ),
    "foreign_project_path": Unconfirmed(
        "§emulator", 403, 403, "both: a path project other than the credential's answers 403 APIG.0302."
    ),
    "accept_without_vault": Unconfirmed(
        "§members.update", "6706", "6706", "both: accepting without vault_id answers 400 BackupService.6706."
    ),
    "vault_full_code": Unconfirmed(
        "§vaults.capacity", "6129", "6129", "both: a vault without room answers 400 BackupService.6129."
    ),
}


# Faults of the field that no profile has: off unless a test turns them on (POST /__emulator__/switches,
# RunningEmulator.set_switches). Each one exposes a point where a client must not trust the API blindly.
SWITCHES = {
    "loose_member_status": "the backup list's member_status filter matches every share of the caller, whatever its "
    "status (a filter the cloud ignores or matches loosely; docs/api_notes.md §backups.member_status)",
    "disk_backups_refused": "AddMember refuses disk backups with 400 BackupService.6700 ('only cloud server backups "
    "can be shared', the OTC API reference; docs/api_notes.md §members.shareable)",
    "backup_created_per_page": "after each page of a backup list, the listed project gets a new backup, newest "
    "first in the unsorted order (a nightly policy running while an audit pages; docs/api_notes.md §paging)",
}
