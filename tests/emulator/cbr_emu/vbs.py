# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Legacy VBS v2 sharing (docs/api_notes.md §vbs, §endpoints, §vbs.deleted), on its own address."""

import uuid

from .wire import VBS, ApiError, api_timestamp, positive_int, route, utcnow

SHARING = r"/v2/(?P<pid>[^/]+)/os-vendor-backup-sharing"
SHARE_FIELDS = (
    "id",
    "backup_id",
    "to_project_id",
    "from_project_id",
    "created_at",
    "updated_at",
    "deleted",
    "deleted_at",
)


def vbs_error(status, code, message):
    # UNCONFIRMED["error_bodies"]: the contract says to assume error_code/error_msg for VBS.
    return ApiError(status, {"error_code": code, "error_msg": message})


class VbsMixin:
    """Legacy VBS sharing: no accept step, a share takes effect at once. A mixin of Emulator."""

    listener = VBS

    def _share_view(self, share, with_backup):
        view = {k: share[k] for k in SHARE_FIELDS}
        if self.reading("vbs_deleted_is_string"):
            view["deleted"] = "true" if share["deleted"] else "false"
        if with_backup:
            backup = self.state.backups[share["backup_id"]]
            view["backup"] = {
                "id": backup["id"],
                "name": backup.get("name"),
                "status": backup.get("status", "available"),
                "volume_id": backup.get("resource_id"),
                "size": backup.get("resource_size_gb", 0),
                "availability_zone": backup.get(
                    "availability_zone", self.state.region_of(backup["project_id"]) + "-01"
                ),
            }
        return view

    @route("POST", SHARING)
    def create_shares(self, request, pid):
        body = request.json()
        shared = body.get("shared") if isinstance(body, dict) else None
        if (
            not isinstance(shared, dict)
            or not isinstance(shared.get("to_project_ids"), list)
            or not shared.get("to_project_ids")
            or not isinstance(shared.get("backup_id"), str)
        ):
            raise vbs_error(
                400, "VolumeBackup.0002", "Invalid input: shared.backup_id and shared.to_project_ids are required."
            )
        with self.state.lock:
            backup = self.state.backups.get(shared["backup_id"])
            if backup is None or backup["project_id"] != pid or backup["id"] in self.state.deleted_backups:
                raise vbs_error(404, "VolumeBackup.0004", "Backup %s could not be found." % shared["backup_id"])
            existing = {s["to_project_id"] for s in self.state.shares.values() if s["backup_id"] == backup["id"]}
            for dest in shared["to_project_ids"]:
                if dest == pid or dest not in self.state.projects:
                    raise vbs_error(400, "VolumeBackup.0047", "Invalid project ID for sharing: %s." % dest)
                if dest in existing:
                    raise vbs_error(400, "VolumeBackup.0048", "The backup has been shared to project %s." % dest)
            created = []
            now = api_timestamp(utcnow())
            for dest in shared["to_project_ids"]:
                share = {
                    "id": str(uuid.uuid4()),
                    "backup_id": backup["id"],
                    "to_project_id": dest,
                    "from_project_id": pid,
                    "created_at": now,
                    "updated_at": None,
                    "deleted": False,
                    "deleted_at": None,
                    "_seq": self.state.next_sequence(),
                }
                self.state.shares[share["id"]] = share
                # The create example answers with null timestamps and flags.
                created.append(dict(self._share_view(share, False), created_at=None, deleted=None))
            return 200, {}, {"shared": created}

    def _listed_shares(self):
        """Live shares, and cancelled ones where the profile keeps them (UNCONFIRMED["vbs_detail_lists_cancelled"])."""
        shares = list(self.state.shares.values())
        if self.reading("vbs_detail_lists_cancelled"):
            shares += list(self.state.cancelled_shares.values())
        return shares

    def _cancel_share(self, share):
        now = api_timestamp(utcnow())
        del self.state.shares[share["id"]]
        self.state.cancelled_shares[share["id"]] = dict(share, deleted=True, deleted_at=now, updated_at=now)

    def _filtered_shares(self, request, pid):
        if request.arg("share_to_me", "false").lower() == "true":
            shares = [s for s in self._listed_shares() if s["to_project_id"] == pid]
        else:
            shares = [s for s in self._listed_shares() if s["from_project_id"] == pid]
        for key in ("backup_id", "to_project_id", "from_project_id"):
            if request.arg(key):
                shares = [s for s in shares if s[key] == request.arg(key)]
        if request.arg("name"):
            shares = [s for s in shares if request.arg("name") in self.state.backups[s["backup_id"]].get("name", "")]
        return shares

    @route("GET", SHARING + "/detail")
    def list_shares(self, request, pid):
        limit = positive_int(request, "limit", 1000)
        offset = positive_int(request, "offset", 0)
        sort_key = request.arg("sort_key", "created_at")
        if sort_key not in ("created_at", "id", "backup_id", "to_project_id"):
            raise vbs_error(400, "VolumeBackup.0002", "Invalid sort_key: %s." % sort_key)
        descending = request.arg("sort_dir", "desc") == "desc"
        with self.state.lock:
            shares = self._filtered_shares(request, pid)
            shares.sort(key=lambda s: (s[sort_key] or "", s["_seq"]), reverse=descending)
            page = shares[offset : offset + limit]
            return 200, {}, {"shared": [self._share_view(s, True) for s in page]}

    @route("GET", SHARING + "/count")
    def count_shares(self, request, pid):
        with self.state.lock:
            return 200, {}, {"count": len(self._filtered_shares(request, pid))}

    @route("GET", SHARING + r"/(?P<sid>[^/]+)")
    def show_share(self, request, pid, sid):
        with self.state.lock:
            share = {s["id"]: s for s in self._listed_shares()}.get(sid)
            if share is None or pid not in (share["from_project_id"], share["to_project_id"]):
                raise vbs_error(404, "VolumeBackup.0064", "Backup sharing %s could not be found." % sid)
            return 200, {}, {"shared": self._share_view(share, True)}

    @route("DELETE", SHARING + r"/(?P<sid>[^/]+)")
    def delete_share(self, request, pid, sid):
        with self.state.lock:
            if request.arg("is_backup_id", "false").lower() == "true":
                backup = self.state.backups.get(sid)
                if backup is None or backup["project_id"] != pid:
                    raise vbs_error(404, "VolumeBackup.0004", "Backup %s could not be found." % sid)
                for share in [s for s in self.state.shares.values() if s["backup_id"] == sid]:
                    self._cancel_share(share)
                return 200, {}, None
            share = self.state.shares.get(sid)
            if share is None or share["from_project_id"] != pid:
                raise vbs_error(404, "VolumeBackup.0064", "Backup sharing %s could not be found." % sid)
            self._cancel_share(share)
            return 200, {}, None
