# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CBR v3: backups, vaults and share members (docs/api_notes.md §members, §backups, §vaults), on the main address."""

import re

from .state import DEFAULT_BACKUP_CREATED_AT
from .wire import (
    MAIN,
    ApiError,
    api_timestamp,
    cbr_error,
    parse_api_timestamp,
    positive_int,
    route,
    utcnow,
    without_nulls,
)

SERVER_PROVIDER_ID = "0daac4c5-6707-4851-97ba-169e36266b66"
PROVIDER_IDS = {
    "OS::Nova::Server": SERVER_PROVIDER_ID,
    "OS::Cinder::Volume": "d1603440-187d-4516-af25-121250c7cc97",
    "OS::Sfs::Turbo": "3f3c3220-245c-4805-b811-758870015881",
}
VAULT_TYPE_FOR_RESOURCE = {
    "OS::Nova::Server": "server",
    "OS::Cinder::Volume": "disk",
    "OS::Sfs::Turbo": "turbo",
}
MAX_SHARE_PROJECTS = 10
PROJECT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
MEMBERS = r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)/members"


class CbrMixin:
    """The CBR v3 calls the collection uses. A mixin of Emulator (self.state, self.reading)."""

    listener = MAIN

    # -- backups and vaults (docs/api_notes.md §backups, §vaults)

    def _backup_view(self, backup, viewer):
        """The backup as the project `viewer` sees it."""
        vault_id = backup.get("vault_id")
        if viewer != backup["project_id"] and self.reading("recipient_sees_vault_id") == "recipient":
            membership = self.state.members.get(backup["id"], {}).get(viewer) or {}
            vault_id = membership.get("vault_id") if membership.get("status") == "accepted" else None
        view = without_nulls(
            {
                "id": backup["id"],
                "name": backup.get("name"),
                "description": backup.get("description", ""),
                "checkpoint_id": backup.get("checkpoint_id"),
                "created_at": backup.get("created_at", DEFAULT_BACKUP_CREATED_AT),
                "expired_at": backup.get("expired_at"),
                "updated_at": backup.get("updated_at"),
                "image_type": backup.get("image_type", "backup"),
                "project_id": backup["project_id"],
                "provider_id": PROVIDER_IDS.get(backup.get("resource_type"), SERVER_PROVIDER_ID),
                "resource_id": backup.get("resource_id"),
                "resource_name": backup.get("resource_name"),
                "resource_size": backup.get("resource_size_gb", 0),
                "resource_type": backup.get("resource_type", "OS::Nova::Server"),
                "status": backup.get("status", "available"),
                "vault_id": vault_id,
                "extend_info": {
                    "encrypted": bool(backup.get("encrypted", False)),
                    "auto_trigger": False,
                    "bootable": True,
                },
            }
        )
        self.state.read_backup(backup)
        return view

    def _visible_backup(self, project_id, backup_id):
        """The backup if the project owns it, or it is shared with the project (accepted, in strict)."""
        backup = self.state.backups.get(backup_id)
        if backup is None or backup_id in self.state.deleted_backups:
            return None
        if backup["project_id"] == project_id:
            return backup
        membership = self.state.members.get(backup_id, {}).get(project_id)
        if membership is None:
            return None
        if membership["status"] != "accepted" and not self.reading("recipient_shows_pending_backup"):
            return None
        return backup

    @route("GET", r"/v3/(?P<pid>[^/]+)/backups")
    def list_backups(self, request, pid):
        limit = positive_int(request, "limit", 1000, maximum=1000)
        offset = positive_int(request, "offset", 0)
        own_type = request.arg("own_type", "private")
        if own_type not in ("private", "shared", "all_granted"):
            raise cbr_error("9900", "Invalid own_type: %s." % own_type)
        # sort and marker as ListBackupsRequest documents them (huaweicloudsdkcbr; the Huawei ListBackups page):
        # keys created_at, updated_at, name, status, protected_at, id; the marker is the last id of the page before.
        sort = request.arg("sort")
        sort_keys = self._sort_keys(sort, ("created_at", "updated_at", "name", "status", "protected_at", "id"))
        marker = request.arg("marker")
        member_status = request.arg("member_status")
        loose_status = self.switch("loose_member_status")
        statuses = request.query.get("status")
        window = [self._time_arg(request, name) for name in ("start_time", "end_time")]
        with self.state.lock:
            selected = []
            for backup in self.state.backups.values():
                if backup["id"] in self.state.deleted_backups:
                    continue
                own = backup["project_id"] == pid
                membership = self.state.members.get(backup["id"], {}).get(pid)
                if own_type == "private" and not own:
                    continue
                if own_type == "shared" and membership is None:
                    continue
                if own_type == "all_granted" and not (own or membership):
                    continue
                if member_status and (
                    membership is None or (membership["status"] != member_status and not loose_status)
                ):
                    continue
                if statuses and backup.get("status", "available") not in statuses:
                    continue
                if request.arg("vault_id") and backup.get("vault_id") != request.arg("vault_id"):
                    continue
                if not self._name_matches(request.arg("name"), backup.get("name", "")):
                    continue
                if not self._created_in_window(backup, window):
                    continue
                if request.arg("resource_type") and backup.get("resource_type") != request.arg("resource_type"):
                    continue
                if request.arg("image_type") and backup.get("image_type", "backup") != request.arg("image_type"):
                    continue
                selected.append(self._backup_view(backup, pid))
            if sort is not None:
                for key, descending in reversed(sort_keys):
                    selected.sort(key=lambda b, k=key: b.get(k) or "", reverse=descending)
            after_marker = selected
            if marker is not None:
                ids = [b["id"] for b in selected]
                if marker not in ids:
                    raise cbr_error("9900", "Invalid marker: %s." % marker)
                after_marker = selected[ids.index(marker) + 1 :]
            page = after_marker[offset : offset + limit]
            if self.switch("backup_created_per_page") and own_type != "shared":
                self._create_backup_now(pid)
        return 200, {}, {"backups": page, "count": len(selected), "offset": offset, "limit": limit}

    def _name_matches(self, wanted, name):
        """The list's name filter as the profile reads it (UNCONFIRMED["backup_list_name_filter"])."""
        if not wanted:
            return True
        if self.reading("backup_list_name_filter") == "exact":
            return wanted == name
        return wanted.lower() in name.lower()

    @staticmethod
    def _time_arg(request, name):
        """start_time / end_time as an aware datetime (the documented form 2018-02-01T12:00:00Z), or None."""
        value = request.arg(name)
        if value is None:
            return None
        try:
            return parse_api_timestamp(value)
        except ValueError:
            raise cbr_error("9900", "Invalid %s: %s." % (name, value)) from None

    def _created_in_window(self, backup, window):
        """The list's start_time / end_time as the profile reads them (UNCONFIRMED["backup_list_time_filter"])."""
        start, end = window
        if self.reading("backup_list_time_filter") == "ignored":
            return True
        created = parse_api_timestamp(backup.get("created_at", DEFAULT_BACKUP_CREATED_AT)).replace(microsecond=0)
        return not ((start and created < start) or (end and created > end))

    def _create_backup_now(self, pid):
        """A new server backup of project pid, created now and first in the unsorted order (a policy run)."""
        number = self.state.next_sequence()
        backup_id = "b0000000-0000-4000-8000-%012d" % number
        vault_ids = [v["id"] for v in self.state.vaults.values() if v["project_id"] == pid]
        new = dict(
            id=backup_id,
            name="policy-run-%d" % number,
            project_id=pid,
            resource_type="OS::Nova::Server",
            resource_id="c0000000-0000-4000-8000-%012d" % number,
            resource_name="policy-run-%d" % number,
            resource_size_gb=1,
            vault_id=vault_ids[0] if vault_ids else None,
            created_at=api_timestamp(utcnow()),
        )
        self.state.backups = dict([(backup_id, new)] + list(self.state.backups.items()))

    @route("GET", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)")
    def show_backup(self, request, pid, bid):
        with self.state.lock:
            backup = self._visible_backup(pid, bid)
            if backup is None:
                raise cbr_error("6200")
            return 200, {}, {"backup": self._backup_view(backup, pid)}

    @route("GET", r"/v3/(?P<pid>[^/]+)/vaults/(?P<vid>[^/]+)")
    def show_vault(self, request, pid, vid):
        with self.state.lock:
            vault = self.state.vaults.get(vid)
            if vault is None or vault["project_id"] != pid:
                raise cbr_error("6105")
            return 200, {}, {"vault": self._vault_view(vault)}

    @route("GET", r"/v3/(?P<pid>[^/]+)/vaults")
    def list_vaults(self, request, pid):
        limit = positive_int(request, "limit", 1000, maximum=1000)
        offset = positive_int(request, "offset", 0)
        wanted = {
            "object_type": request.arg("object_type"),
            "status": request.arg("status"),
            "name": request.arg("name"),
            "id": request.arg("id"),
        }
        with self.state.lock:
            vaults = []
            for vault in self.state.vaults.values():
                if vault["project_id"] != pid:
                    continue
                view = self._vault_view(vault)
                actual = {
                    "object_type": view["billing"]["object_type"],
                    "status": view["billing"]["status"],
                    "name": view["name"],
                    "id": view["id"],
                }
                if all(value is None or actual[key] == value for key, value in wanted.items()):
                    vaults.append(view)
        page = vaults[offset : offset + limit]
        return 200, {}, {"vaults": page, "count": len(vaults), "limit": limit, "offset": offset}

    def _vault_view(self, vault):
        """The vault as show and list answer it (docs/api_notes.md §vaults)."""
        object_type = vault.get("object_type", "server")
        pid = vault["project_id"]
        return {
            "id": vault["id"],
            "name": vault.get("name", ""),
            "description": vault.get("description", ""),
            "project_id": pid,
            "provider_id": {"server": SERVER_PROVIDER_ID}.get(object_type, PROVIDER_IDS["OS::Cinder::Volume"]),
            "created_at": vault.get("created_at", "2026-01-01T00:00:00.000+00:00"),
            "auto_bind": False,
            "auto_expand": bool(vault.get("auto_expand", False)),
            "locked": bool(vault.get("locked", False)),
            "tags": [],
            "resources": [],
            "billing": {
                "allocated": 0,
                "charging_mode": "post_paid",
                "consistent_level": "crash_consistent",
                "object_type": object_type,
                "protect_type": vault.get("protect_type", "backup"),
                "size": vault.get("size_gb", 100),
                "spec_code": "vault.backup.%s.normal" % {"disk": "volume"}.get(object_type, object_type),
                "status": vault.get("status", "available"),
                "used": self.state.vault_used_mb(vault, self._share_size_gb),
                "storage_unit": "",
            },
        }

    # -- members (docs/api_notes.md §members)

    def _owned_backup(self, pid, bid, read=False):
        """The backup, owned by pid. A recipient is refused as its profile says; anyone else gets 6200."""
        if bid in self.state.deleted_backups:
            # docs/api_notes.md §errors.deleted-backup: member calls on a deleted backup can answer this 401.
            raise ApiError(401, {"unauthorized": {"code": "401", "message": "Malformed request url"}})
        backup = self.state.backups.get(bid)
        if backup is None:
            raise cbr_error("6200")
        if backup["project_id"] == pid:
            return backup
        if pid not in self.state.members.get(bid, {}):
            raise cbr_error("6200")
        if read and not self.reading("recipient_reads_member_api"):
            raise cbr_error("6200")  # strict: to a recipient, the member API of another's backup does not exist
        raise cbr_error(
            self.reading("wrong_party_member_write"), "Only the owner of the backup can manage its members."
        )

    def _shareable(self, backup):
        """Refuse a backup the profile does not let be shared (UNCONFIRMED disk / encrypted rows)."""
        resource_type = backup.get("resource_type", "OS::Nova::Server")
        disk_shareable = self.reading("disk_backups_shareable") and not self.switch("disk_backups_refused")
        if resource_type != "OS::Nova::Server" and not (resource_type == "OS::Cinder::Volume" and disk_shareable):
            raise cbr_error("6700")
        if backup.get("status", "available") != "available":
            raise cbr_error("6702")
        if backup.get("encrypted") and not self.reading("encrypted_backups_shareable"):
            raise cbr_error("6709")

    def _share_size_gb(self, backup):
        """What accepting a shared backup takes from a vault (UNCONFIRMED["accept_capacity_size"])."""
        if self.reading("accept_capacity_size") == "backup_size":
            return backup.get("backup_size_gb", backup.get("resource_size_gb", 0))
        return backup.get("resource_size_gb", 0)

    @route("POST", MEMBERS)
    def add_members(self, request, pid, bid):
        body = request.json()
        wanted = body.get("members") if isinstance(body, dict) else None
        if (
            not isinstance(wanted, list)
            or not 1 <= len(wanted) <= MAX_SHARE_PROJECTS
            or not all(isinstance(p, str) for p in wanted)
        ):
            raise cbr_error("9900", "members must be a list of 1 to %d project IDs." % MAX_SHARE_PROJECTS)
        with self.state.lock:
            backup = self._owned_backup(pid, bid)
            self._shareable(backup)
            vault = self.state.vaults.get(backup.get("vault_id"))
            if vault is not None and vault.get("status", "available") != "available":
                raise cbr_error("6712")
            current = self.state.members.setdefault(bid, {})
            for dest in wanted:
                # A backup is shared within its region (docs/api_notes.md §members.add).
                if (
                    dest == pid
                    or not PROJECT_ID_RE.match(dest)
                    or dest not in self.state.projects
                    or self.state.region_of(dest) != self.state.region_of(pid)
                ):
                    raise cbr_error("6704", "Project ID: %s." % dest)
            if len(set(wanted)) != len(wanted):
                raise cbr_error("9900", "members contains duplicates.")
            for dest in wanted:
                if dest in current:
                    raise cbr_error(self.reading("duplicate_add_code"), "Project ID: %s." % dest)
            if len(current) + len(wanted) > MAX_SHARE_PROJECTS:
                limit = "A backup can be shared with at most %d projects." % MAX_SHARE_PROJECTS
                raise cbr_error(self.reading("share_limit_code"), limit)
            added = [self.state.seed_member(bid, dest) for dest in wanted]
            answer = {"members": [self._member_view(m) for m in added]}
            if self.reading("add_member_answer_has_count"):
                answer["count"] = len(current)
            return 200, {}, answer

    @staticmethod
    def _member_view(record):
        return without_nulls({k: v for k, v in record.items() if not k.startswith("_")})

    @route("GET", MEMBERS)
    def list_members(self, request, pid, bid):
        limit = positive_int(request, "limit", 1000)
        offset = positive_int(request, "offset", 0)
        marker = request.arg("marker")
        sort_keys = self._sort_keys(
            request.arg("sort", "created_at:desc"),
            ("created_at", "updated_at", "dest_project_id", "status", "id", "vault_id"),
        )
        filters = {
            k: request.arg(k)
            for k in ("dest_project_id", "image_id", "status", "vault_id")
            if request.arg(k) is not None
        }
        if "status" in filters and filters["status"] not in ("pending", "accepted", "rejected"):
            raise cbr_error("9900", "Invalid status: %s." % filters["status"])
        with self.state.lock:
            self._owned_backup(pid, bid, read=True)
            records = [
                m for m in self.state.members.get(bid, {}).values() if all(m.get(k) == v for k, v in filters.items())
            ]
            for key, descending in reversed(sort_keys):
                records.sort(key=lambda m, k=key: ((m.get(k) or ""), m["_seq"]), reverse=descending)
            if marker is not None:
                ids = [m["id"] for m in records]
                if marker not in ids:
                    raise cbr_error("9900", "Invalid marker: %s." % marker)
                records_after = records[ids.index(marker) + 1 :]
            else:
                records_after = records
            page = records_after[offset : offset + limit]
            count = len(records) if self.reading("member_list_count") == "total" else len(page)
            return 200, {}, {"members": [self._member_view(m) for m in page], "count": count}

    @staticmethod
    def _sort_keys(sort, allowed):
        """[(key, descending)] of a sort parameter (key[:asc|desc],...; desc when no direction is given)."""
        keys = []
        if sort is None:
            return keys
        if len(sort) > 255:
            raise cbr_error("9900", "sort is longer than 255 characters.")
        for part in sort.split(","):
            key, direction = (part.split(":", 1) + [""])[:2]
            direction = direction or "desc"
            if key not in allowed or direction not in ("asc", "desc"):
                raise cbr_error("9900", "Invalid sort: %s." % sort)
            keys.append((key, direction == "desc"))
        return keys

    @route("GET", MEMBERS + r"/(?P<mid>[^/]+)")
    def show_member(self, request, pid, bid, mid):
        with self.state.lock:
            record = self.state.members.get(bid, {}).get(mid)
            if not (pid == mid and record is not None and self.reading("recipient_reads_member_api")):
                self._owned_backup(pid, bid, read=True)
            if record is None or bid in self.state.deleted_backups:
                raise cbr_error("6705")
            return 200, {}, {"member": self._member_view(record)}

    @route("PUT", MEMBERS + r"/(?P<mid>[^/]+)")
    def update_member(self, request, pid, bid, mid):
        body = request.json()
        with self.state.lock:
            backup = self.state.backups.get(bid)
            if backup is None or bid in self.state.deleted_backups:
                raise cbr_error("6200")
            if backup["project_id"] == pid:
                raise cbr_error(
                    self.reading("wrong_party_member_write"), "Only the receiving project can accept or reject a share."
                )
            if mid != pid:
                raise cbr_error(
                    self.reading("wrong_party_member_write"), "A project can only update its own share membership."
                )
            record = self.state.members.get(bid, {}).get(mid)
            if record is None:
                raise cbr_error("6705")
            status = body.get("status") if isinstance(body, dict) else None
            if status not in ("accepted", "pending", "rejected"):
                raise cbr_error("6706", "status must be accepted, pending or rejected.")
            transitions = self.reading("accepted_rejected_transitions")
            if (
                record["status"] != "pending"
                and status != record["status"]
                and transitions != "any"
                and not (transitions == "accepted->rejected" and (record["status"], status) == ("accepted", "rejected"))
            ):
                raise cbr_error("6706", "A share that is %s cannot become %s." % (record["status"], status))
            vault_id = body.get("vault_id")
            if status == "accepted":
                self._check_accept_vault(pid, backup, vault_id, record)
            record["status"] = status
            record["vault_id"] = vault_id if status == "accepted" else None
            record["updated_at"] = api_timestamp(utcnow())
            return 200, {}, {"member": self._member_view(record)}

    def _check_accept_vault(self, pid, backup, vault_id, record):
        if not vault_id:
            raise cbr_error(self.reading("accept_without_vault"), "vault_id is required to accept a share.")
        vault = self.state.vaults.get(vault_id)
        if vault is None or vault["project_id"] != pid:
            raise cbr_error("6105")
        # A locked vault answers as one that is not available, a replication vault as one of the wrong type: the
        # sources name no code of their own for either (docs/api_notes.md §vaults).
        if vault.get("status", "available") != "available" or vault.get("locked"):
            raise cbr_error("6712")
        wanted_type = VAULT_TYPE_FOR_RESOURCE.get(backup.get("resource_type", "OS::Nova::Server"))
        if vault.get("object_type", "server") != wanted_type or vault.get("protect_type", "backup") != "backup":
            raise cbr_error("6713")
        already_in_vault = record["status"] == "accepted" and record["vault_id"] == vault_id
        needed_mb = 0 if already_in_vault or vault.get("auto_expand") else self._share_size_gb(backup) * 1024
        if vault.get("size_gb", 100) * 1024 - self.state.vault_used_mb(vault, self._share_size_gb) < needed_mb:
            raise cbr_error(self.reading("vault_full_code"))

    @route("DELETE", MEMBERS + r"/(?P<mid>[^/]+)")
    def delete_member(self, request, pid, bid, mid):
        with self.state.lock:
            self._owned_backup(pid, bid)
            record = self.state.members.get(bid, {}).get(mid)
            if record is None:
                raise cbr_error("6705")
            if record.get("image_id"):
                raise cbr_error("6710")
            del self.state.members[bid][mid]
            return 204, {}, None
