#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_api_probe
short_description: Ask a real cloud what the CBR sharing API does where its documentation is silent
version_added: 1.0.0
description:
  - "Sends one raw request (or a short fixed sequence) of the CBR sharing API and reports what the cloud answered:
    the HTTP status, the error code and message, which fields the answer had, and a one-line C(finding)."
  - "It exists for the check kit C(playbooks/check_cloud.yml) (see the docs page I(Check it against your cloud)):
    each probe settles one point the project's API notes (docs/api_notes.md) mark unconfirmed, such as whether a
    receiving project can read its own member record, or which code a duplicate add gets. The collection's other
    modules do not depend on these answers; the report tells the project what a real cloud does."
  - A probe never fails because the API refused the request; the refusal is the observation. It fails only on bad
    input or when it cannot connect.
  - Some probes write (O(probe=add_member), O(probe=duplicate_add), O(probe=accept)). Run them only against a
    small backup you may share, with a project you control; the kit removes the share at the end.
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  probe:
    description:
      - "Owner side (the backup's project): V(add_member) shares O(backup_id) with O(dest_project_id) and reports
        whether the answer has C(count); V(duplicate_add) sends the same share again and reports the code;
        V(owner_member) reads the member as the owner after the receiving side answered and reports its
        C(vault_id)."
      - "Receiving side (O(dest_project_id)'s credentials): V(member_record) reads its own member record;
        V(member_list) lists the backup's members; V(pending_backup_by_id) reads the backup by id while the share
        is pending; V(member_status_filter) lists the backups shared with it under each C(member_status) and
        reports whether the pending backup shows under V(pending) only; V(shared_list) finds it in the list of
        backups shared with it and reports which fields the entry has (C(project_id), the owner, among them);
        V(accept) accepts it into O(vault_id) with one raw request, reporting the vault's free space against the
        backup's C(resource_size) and the answer (which capacity rule applies);
        V(accepted_vault_id) reads the backup after accepting and reports which vault C(vault_id) names."
    type: str
    required: true
    choices: [accept, accepted_vault_id, add_member, duplicate_add, member_list, member_record, member_status_filter,
              owner_member, pending_backup_by_id, shared_list]
  backup_id:
    description:
      - The backup to probe with, a UUID. Use a small server backup you may share.
    type: str
    required: true
  dest_project_id:
    description:
      - The receiving project (32 hexadecimal characters). Required for the owner-side probes.
    type: str
  vault_id:
    description:
      - The receiving project's vault. Required for V(accept) and V(accepted_vault_id).
    type: str
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
attributes:
  check_mode:
    support: none
    details: A probe is a question to the cloud; in check mode nothing is sent and the task is skipped.
  diff_mode:
    support: none
  platform:
    platforms: all
notes:
  - The results hold no credential, token or signature, only what the API answered (ids, codes, messages, field
    names), so the kit's report can be sent to the project as it is.
"""

EXAMPLES = r"""
- name: Can the receiving project read its own member record?
  cloudops.cbr.cbr_api_probe:
    probe: member_record
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
  register: member_record

- name: Which code does a duplicate add get? (owner's credentials)
  cloudops.cbr.cbr_api_probe:
    probe: duplicate_add
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_id: 075e6035d300d48c2fd0c00b78b71ebf
  register: duplicate_add
"""

RETURN = r"""
observation:
  description: What the cloud answered.
  returned: success
  type: dict
  contains:
    probe:
      description: The probe.
      type: str
      sample: member_record
    question:
      description: The unconfirmed point the probe settles, with its section of the project's API notes.
      type: str
      sample: "Can the receiving project read its own member record? (docs/api_notes.md §recipient.reads)"
    host:
      description: The endpoint host the request went to (never a credential).
      type: str
      sample: cbr.eu-de.otc.t-systems.com
    request:
      description: The request, as method and path without the host (no query secrets, no headers).
      type: str
      sample: "GET /v3/075e6035d300d48c2fd0c00b78b71ebf/backups/0b07081e-.../members/075e6035d300d48c2fd0c00b78b71ebf"
    http_status:
      description: The HTTP status of the answer (null when no answer came).
      type: int
      sample: 404
    error_code:
      description: The API's error code, when it refused.
      type: str
      sample: BackupService.6200
    error_msg:
      description: The API's error message, when it refused.
      type: str
    answer_keys:
      description: The top-level keys of a successful answer's body.
      type: list
      elements: str
      sample: ["members"]
    finding:
      description: The answer to the question, in one line.
      type: str
      sample: "no: the receiving project cannot read its member record (404 BackupService.6200)"
    details:
      description: Numbers and fields the finding rests on (for example free space and resource size).
      type: dict
"""

from urllib.parse import urlsplit

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._http import CbrApiError
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import vault_free_mb

QUESTIONS = {
    "add_member": "Does AddMember's answer have count? (docs/api_notes.md §members.add)",
    "duplicate_add": "Which code does adding the same member again get: 6714 or 6703? "
    "(docs/api_notes.md §members.duplicate)",
    "owner_member": "Which vault does the owner see in the member record after the receiving side accepted? "
    "(docs/api_notes.md §members.record)",
    "member_record": "Can the receiving project read its own member record? (docs/api_notes.md §recipient.reads)",
    "member_list": "Can the receiving project list the backup's members? (docs/api_notes.md §recipient.reads)",
    "pending_backup_by_id": "Can the receiving project read a pending shared backup by id? "
    "(docs/api_notes.md §recipient.reads)",
    "member_status_filter": "Does the shared list's member_status filter match exactly: is the pending backup listed "
    "under pending and not under accepted or rejected? (docs/api_notes.md §backups.member_status)",
    "shared_list": "Does the list of backups shared with the receiving project show the pending backup, and with "
    "which fields? (docs/api_notes.md §recipient.reads)",
    "accept": "Which capacity rule applies when accepting: resource_size or something smaller? "
    "(docs/api_notes.md §vaults.capacity)",
    "accepted_vault_id": "Which vault_id does the receiving project see on the backup after accepting? "
    "(docs/api_notes.md §recipient.vault_id)",
}
OWNER_PROBES = ("add_member", "duplicate_add", "owner_member")
# What the accept pre-flight needs of a pending backup (docs/api_notes.md §recipient.reads).
PREFLIGHT_FIELDS = ("resource_type", "resource_size", "status", "project_id")


class ApiProbe(CbrModule):
    argument_spec = dict(
        probe=dict(type="str", required=True, choices=sorted(QUESTIONS)),
        backup_id=dict(type="str", required=True),
        dest_project_id=dict(type="str"),
        vault_id=dict(type="str"),
    )
    module_kwargs = dict(
        supports_check_mode=False,
        required_if=[("probe", name, ["dest_project_id"]) for name in OWNER_PROBES]
        + [("probe", "accept", ["vault_id"]), ("probe", "accepted_vault_id", ["vault_id"])],
    )

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"])]
        if params["dest_project_id"] is not None:
            problems.append(project_id_problem("dest_project_id", params["dest_project_id"]))
        if params["vault_id"] is not None:
            problems.append(uuid_problem("vault_id", params["vault_id"]))
        return [p for p in problems if p]

    def send(self, method, segments, params=None, body=None):
        """One raw request: (observation fields, answer body or None). A refusal is an answer, not a failure."""
        url = self.client.url(*segments)
        seen = dict(
            request="%s /%s" % (method, url.split("://", 1)[-1].split("/", 1)[-1]),
            host=urlsplit(url).hostname,  # the endpoint host this probe talked to (never a credential)
            http_status=None,
            error_code=None,
            error_msg=None,
            answer_keys=[],
        )
        try:
            response = self.client.session.call(
                method, url, "probe %s" % self.params["probe"], params=params, body=body
            )
        except CbrApiError as error:
            seen.update(http_status=error.status_code, error_code=error.error_code, error_msg=error.error_msg)
            return seen, None
        answer = response.json() if response.content else {}
        seen.update(http_status=response.status_code, answer_keys=sorted(answer) if isinstance(answer, dict) else [])
        return seen, answer

    @staticmethod
    def refusal(seen):
        return "%s %s" % (seen["http_status"], seen["error_code"] or seen["error_msg"] or "")

    def run(self):
        probe = self.params["probe"]
        seen, finding, details = getattr(self, "probe_" + probe)()
        self.result["observation"] = dict(
            seen, probe=probe, question=QUESTIONS[probe], finding=finding, details=details
        )

    # -- owner side

    def probe_add_member(self):
        seen, answer = self.send(
            "POST", ("backups", self.params["backup_id"], "members"), body={"members": [self.params["dest_project_id"]]}
        )
        if answer is None:
            return seen, "the share was refused (%s)" % self.refusal(seen), {}
        self.result["changed"] = True
        has_count = "count" in answer
        return (
            seen,
            ("yes: the answer has count" if has_count else "no: the answer has members only"),
            dict(count_in_answer=has_count, member_status=[m.get("status") for m in answer.get("members") or []]),
        )

    def probe_duplicate_add(self):
        seen, answer = self.send(
            "POST", ("backups", self.params["backup_id"], "members"), body={"members": [self.params["dest_project_id"]]}
        )
        if answer is not None:
            return seen, "accepted again (HTTP %s): a duplicate add is not refused" % seen["http_status"], {}
        return seen, "refused with %s" % self.refusal(seen), {}

    def probe_owner_member(self):
        seen, answer = self.send(
            "GET", ("backups", self.params["backup_id"], "members", self.params["dest_project_id"])
        )
        if answer is None:
            return seen, "the owner cannot read the member (%s)" % self.refusal(seen), {}
        member = answer.get("member") or {}
        return (
            seen,
            "status %s, vault_id %s" % (member.get("status"), member.get("vault_id")),
            dict(status=member.get("status"), vault_id=member.get("vault_id")),
        )

    # -- receiving side

    def probe_member_record(self):
        seen, answer = self.send("GET", ("backups", self.params["backup_id"], "members", self.client.project_id))
        if answer is None:
            return seen, "no: the receiving project cannot read its member record (%s)" % self.refusal(seen), {}
        return (
            seen,
            "yes: the receiving project can read its member record",
            dict(status=(answer.get("member") or {}).get("status")),
        )

    def probe_member_list(self):
        seen, answer = self.send("GET", ("backups", self.params["backup_id"], "members"))
        if answer is None:
            return seen, "no: the receiving project cannot list the members (%s)" % self.refusal(seen), {}
        return seen, "yes: the receiving project can list %d members" % len(answer.get("members") or []), {}

    def probe_pending_backup_by_id(self):
        seen, answer = self.send("GET", ("backups", self.params["backup_id"]))
        if answer is None:
            return seen, "no: a pending shared backup is not visible by id (%s)" % self.refusal(seen), {}
        backup = answer.get("backup") or {}
        return (
            seen,
            "yes: a pending shared backup is visible by id",
            dict(fields=sorted(key for key in PREFLIGHT_FIELDS if backup.get(key) is not None)),
        )

    def shared_entry(self, member_status):
        seen, answer = self.send("GET", ("backups",), params={"own_type": "shared", "member_status": member_status})
        entries = [b for b in (answer or {}).get("backups") or [] if b.get("id") == self.params["backup_id"]]
        return seen, answer, (entries[0] if entries else None)

    def probe_member_status_filter(self):
        listed = {}
        for status in ("pending", "accepted", "rejected"):
            seen, answer, entry = self.shared_entry(status)
            if answer is None:
                return seen, "the list of shared backups was refused (%s)" % self.refusal(seen), {}
            listed[status] = entry is not None
        others = [status for status in ("accepted", "rejected") if listed[status]]
        if others:
            finding = "no: the pending backup is also listed under %s (a loose filter)" % ", ".join(others)
        elif not listed["pending"]:
            finding = "no: the pending backup is not listed under pending"
        else:
            finding = "yes: listed under pending only"
        return seen, finding, dict(listed_under=sorted(status for status, found in listed.items() if found))

    def probe_shared_list(self):
        seen, answer, entry = self.shared_entry("pending")
        if answer is None:
            return seen, "the list of shared backups was refused (%s)" % self.refusal(seen), {}
        if entry is None:
            return seen, "no: the pending backup is not in the list of backups shared with this project", {}
        present = sorted(key for key in PREFLIGHT_FIELDS if entry.get(key) is not None)
        missing = sorted(set(PREFLIGHT_FIELDS) - set(present))
        return (
            seen,
            "yes: listed with %s%s" % (", ".join(present), "; missing " + ", ".join(missing) if missing else ""),
            dict(fields=present, missing=missing, vault_id_while_pending=entry.get("vault_id")),
        )

    def probe_accept(self):
        params = self.params
        vault_seen, vault_answer = self.send("GET", ("vaults", params["vault_id"]))
        _list_seen, _answer, entry = self.shared_entry("pending")
        free_mb = vault_free_mb((vault_answer or {}).get("vault") or {}) if vault_answer else None
        size_gb = (entry or {}).get("resource_size")
        details = dict(vault_free_mb=free_mb, resource_size_gb=size_gb, vault_read=vault_seen["http_status"])
        seen, answer = self.send(
            "PUT",
            ("backups", params["backup_id"], "members", self.client.project_id),
            body={"status": "accepted", "vault_id": params["vault_id"]},
        )
        accepted = answer is not None
        self.result["changed"] = accepted
        details["accepted"] = accepted
        if free_mb is None or size_gb is None:
            finding = "inconclusive: the vault or the backup's resource_size could not be read"
        elif size_gb * 1024 <= free_mb:
            finding = (
                "inconclusive: the vault had room for the whole resource_size (%s MB free, %s GB); use a "
                "fuller vault to tell the rules apart" % (free_mb, size_gb)
            )
        elif accepted:
            finding = (
                "smaller than resource_size: accepted with %s MB free for a %s GB resource; "
                "capacity_check=warn fits this cloud" % (free_mb, size_gb)
            )
        else:
            finding = "resource_size (or stricter): refused with %s with %s MB free for a %s GB resource" % (
                self.refusal(seen),
                free_mb,
                size_gb,
            )
        if not accepted and finding.startswith("inconclusive"):
            finding += "; the accept itself was refused (%s)" % self.refusal(seen)
        return seen, finding, details

    def probe_accepted_vault_id(self):
        params = self.params
        seen, answer = self.send("GET", ("backups", params["backup_id"]))
        if answer is None:
            return seen, "the accepted backup is not visible by id (%s)" % self.refusal(seen), {}
        shown = (answer.get("backup") or {}).get("vault_id")
        if shown == params["vault_id"]:
            finding = "the receiving project's own vault (the one it accepted into)"
        elif shown:
            finding = "another vault than the one accepted into (probably the owner's)"
        else:
            finding = "none: the backup has no vault_id in the receiving project's view"
        return seen, finding, dict(vault_id_is_own=shown == params["vault_id"])


def main():
    ApiProbe().execute()


if __name__ == "__main__":
    main()
