# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API surface the modules use: CBR v3 calls, and legacy VBS v2 sharing, bound to one project.

Private to this collection: the interface may change without notice.
"""

from urllib.parse import quote

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import shown
from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import iam_url
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError, CbrNotFound
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import PAGE_SIZE, iter_marker_pages, iter_offset_pages

# The statuses of a share member (docs/api_notes.md §members.record): the one vocabulary of options, plans and
# summaries. Anything else in an answer is not an API value.
MEMBER_STATUSES = ("pending", "accepted", "rejected")
# The fields the modules read from each record of an answer key (a record or a list of records); the sources
# document them all (docs/api_notes.md §members.record, §backups). A record without them is an answer the modules
# cannot trust.
REQUIRED_FIELDS = {
    "member": ("dest_project_id",),
    "members": ("dest_project_id",),
    "backup": ("id",),
    "backups": ("id",),
    "vault": ("id",),
    "vaults": ("id",),
    "shared": ("id", "to_project_id"),
}


def checked_answer(body, key, action):
    """body, once body[key] is known to be a record, or a list of records, with REQUIRED_FIELDS[key]."""
    value = body.get(key)
    if value is None:
        return body
    for record in value if isinstance(value, list) else [value]:
        if not isinstance(record, dict) or any(record.get(field) is None for field in REQUIRED_FIELDS[key]):
            raise CbrApiError(
                action,
                "the answer's %s holds a record without %s: %s"
                % (key, " or ".join(REQUIRED_FIELDS[key]), shown(record)),
            )
    return body


class ProjectClient:
    """A session bound to one project and one service endpoint; builds quoted URLs under /{version}/{project}."""

    API_VERSION = None

    def __init__(self, session, endpoint, project_id, api_version=None):
        self.session = session
        self.endpoint = endpoint
        self.project_id = project_id
        self.api_version = api_version or self.API_VERSION

    def answer(self, method, url, action, key, params=None, body=None):
        """The JSON answer of one request, its `key` checked by checked_answer."""
        return checked_answer(self.session.call_json(method, url, action, params=params, body=body), key, action)

    def url(self, *segments):
        path = "/".join(quote(str(segment), safe="") for segment in segments)
        return "%s/%s/%s/%s" % (self.endpoint, self.api_version, self.project_id, path)

    def show(self, key, action, segments, missing=None):
        """body[key] of GET url(*segments), or None when it is not there (CbrNotFound; only for the `missing`
        kind of thing when given, so that a missing backup is not taken for a missing member)."""
        try:
            body = self.answer("GET", self.url(*segments), action, key)
        except CbrNotFound as error:
            if missing is None or error.what == missing:
                return None
            raise
        return body.get(key)


class CbrClient(ProjectClient):
    """The CBR v3 calls the modules use (service "cbr")."""

    API_VERSION = "v3"

    def list_members(self, backup_id, filters=None, limit=None, page_size=PAGE_SIZE):
        """Every share member of a backup (all pages), optionally filtered, at most `limit`."""
        action = "Failed to list share members of backup %s" % backup_id
        url = self.url("backups", backup_id, "members")

        def fetch(marker, size):
            params = dict((k, v) for k, v in (filters or {}).items() if v is not None)
            params["limit"] = size
            if marker:
                params["marker"] = marker
            return self.answer("GET", url, action, "members", params=params)

        return list(iter_marker_pages(fetch, "members", page_size, limit, action))

    def show_member(self, backup_id, dest_project_id):
        """The member record for one destination project, or None when the backup is not shared with it.

        A backup that is not there raises CbrNotFound (what="backup").
        """
        action = "Failed to show share member %s of backup %s" % (dest_project_id, backup_id)
        # member_id in the URL is the destination project id (docs/api_notes.md §members.path-id).
        return self.show("member", action, ("backups", backup_id, "members", dest_project_id), missing="member")

    def add_members(self, backup_id, dest_project_ids):
        """Share the backup with projects in one POST (at most 10); return the new member records."""
        body = self.answer(
            "POST",
            self.url("backups", backup_id, "members"),
            "Failed to add share members to backup %s" % backup_id,
            "members",
            body={"members": list(dest_project_ids)},
        )
        return body.get("members") or []

    def remove_member(self, backup_id, dest_project_id):
        self.session.call(
            "DELETE",
            self.url("backups", backup_id, "members", dest_project_id),
            "Failed to remove share member %s from backup %s" % (dest_project_id, backup_id),
        )

    def update_member_status(self, backup_id, status, vault_id=None):
        """Accept or reject a share as the receiving project: the member id is the caller's own project."""
        body = {"status": status}
        if vault_id:
            body["vault_id"] = vault_id
        answer = self.answer(
            "PUT",
            self.url("backups", backup_id, "members", self.project_id),
            "Failed to set the share of backup %s to %s in project %s" % (backup_id, status, self.project_id),
            "member",
            body=body,
        )
        return answer.get("member")

    def show_backup(self, backup_id):
        """The backup (own, or shared with this project), or None when it is not visible here."""
        return self.show("backup", "Failed to show backup %s" % backup_id, ("backups", backup_id))

    # Oldest first, then by id: a backup created while the list is read comes at its end instead of shifting the
    # pages before it, and the marker (the last id of a page) names a place in an order that does not move
    # (sort and marker: huaweicloudsdkcbr ListBackupsRequest, gophertelekomcloud; docs/api_notes.md §paging).
    BACKUP_ORDER = "created_at:asc,id:asc"

    def iter_backups(self, filters=None, page_size=PAGE_SIZE):
        """Backups of this project, or shared with it (own_type=shared), read page by page as the caller consumes
        them (every page unless it stops), each once. No `limit` goes with the filters: the caller stops."""
        action = "Failed to list backups of project %s" % self.project_id

        def fetch(marker, size):
            params = dict((k, v) for k, v in (filters or {}).items() if v is not None)
            params.update(limit=size, sort=self.BACKUP_ORDER)
            if marker:
                params["marker"] = marker
            return self.answer("GET", self.url("backups"), action, "backups", params=params)

        return iter_marker_pages(fetch, "backups", page_size, action=action)

    def list_backups(self, filters=None, page_size=PAGE_SIZE):
        """Backups of this project, or shared with it (own_type=shared), every page, each once."""
        return list(self.iter_backups(filters, page_size))

    def list_shared_backups(self, member_status=None, filters=None):
        """Backups other projects shared with this one whose share is in member_status, every page.

        The receiving project's documented read (docs/api_notes.md §recipient.reads): GET
        backups?own_type=shared&member_status=...
        """
        return self.list_backups(dict(filters or {}, own_type="shared", member_status=member_status))

    def list_vaults(self, filters=None, page_size=PAGE_SIZE):
        """Vaults of this project, every page (by offset: the vault list documents no marker), each once."""
        action = "Failed to list vaults of project %s" % self.project_id

        def fetch(offset, size):
            params = dict((k, v) for k, v in (filters or {}).items() if v is not None)
            params.update(limit=size, offset=offset)
            return self.answer("GET", self.url("vaults"), action, "vaults", params=params)

        return list(iter_offset_pages(fetch, "vaults", page_size, action=action))

    def show_vault(self, vault_id):
        """The vault of this project, or None when it does not exist here."""
        return self.show("vault", "Failed to show vault %s" % vault_id, ("vaults", vault_id))


class VbsClient(ProjectClient):
    """Legacy VBS v2 sharing (docs/api_notes.md §vbs), on its own service endpoint ("vbs"), never CBR's
    (docs/api_notes.md §endpoints)."""

    API_VERSION = "v2"

    def list_shares(self, backup_id, page_size=PAGE_SIZE):
        """Every share of a backup made by this project and still in force (all pages, by offset).

        Cancelled shares may stay listed with `deleted` "true" (a string, docs/api_notes.md §vbs.deleted): they are
        left out.
        """
        action = "Failed to list the shares of backup %s" % backup_id
        url = self.url("os-vendor-backup-sharing", "detail")

        def fetch(offset, size):
            params = {"backup_id": backup_id, "limit": size, "offset": offset}
            return self.answer("GET", url, action, "shared", params=params)

        return [
            share for share in iter_offset_pages(fetch, "shared", page_size, action=action) if not is_cancelled(share)
        ]

    def create_shares(self, backup_id, to_project_ids):
        """Share a backup with projects in one POST; return the new share records."""
        body = self.answer(
            "POST",
            self.url("os-vendor-backup-sharing"),
            "Failed to share backup %s" % backup_id,
            "shared",
            body={"shared": {"backup_id": backup_id, "to_project_ids": list(to_project_ids)}},
        )
        return body.get("shared") or []

    def delete_share(self, share_id, to_project_id):
        self.session.call(
            "DELETE",
            self.url("os-vendor-backup-sharing", share_id),
            "Failed to cancel share %s (to project %s)" % (share_id, to_project_id),
        )

    def delete_all_shares(self, backup_id):
        """Cancel every share of a backup in one call (the is_backup_id form)."""
        self.session.call(
            "DELETE",
            self.url("os-vendor-backup-sharing", backup_id),
            "Failed to cancel all shares of backup %s" % backup_id,
            params={"is_backup_id": "true"},
        )


def is_cancelled(share):
    """A VBS share record's `deleted` is the string "true" once cancelled (golangsdk `Deleted string`)."""
    return str(share.get("deleted")).lower() == "true"


class IamClient:
    """The IAM calls besides the login, on the IAM endpoint the credential logs in to (docs/api_notes.md
    §iam.projects): IAM documents X-Auth-Token for them, so they need a password login or a token."""

    def __init__(self, session, auth_url):
        self.session = session
        self.auth_url = auth_url

    def _list(self, key, action):
        return self.session.call_json("GET", iam_url(self.auth_url, "auth", key), action).get(key) or []

    def list_auth_projects(self):
        """The projects the caller's user can access (GET /v3/auth/projects)."""
        return self._list("projects", "Failed to list the projects the caller's user can access")

    def list_auth_domains(self):
        """The caller's account (GET /v3/auth/domains)."""
        return self._list("domains", "Failed to read the caller's account")


CLIENTS = {"cbr": CbrClient, "vbs": VbsClient}
