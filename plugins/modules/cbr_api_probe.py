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
    modules work whatever the answers (they re-check filters and cross-check statuses themselves); the report tells
    the project what a real cloud does, and whether those checks ever have to act there."
  - A probe never fails because the API refused the request (an answer with a 4xx status); the refusal is the
    observation. It fails on bad input, when no answer comes (a connection or TLS failure), and on a 5xx after the
    retries, since then the question was not answered.
  - "Some probes write: V(add_member), V(duplicate_add), V(accept), V(wrong_type_vault), V(unavailable_vault) (when
    the vault is not refused) and V(reject_accepted). Run them only against a small backup you may share, with a
    project you control; the kit removes the share at the end."
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  probe:
    description:
      - "Owner side (the backup's project): V(add_member) shares O(backup_id) with O(dest_project_id) and reports
        whether the answer has C(count); V(duplicate_add) sends the same share again and reports the code;
        V(owner_member) reads the member as the owner after the receiving side answered and reports its
        C(vault_id); V(name_filter) lists the project's backups by the backup's exact name, by its name without the
        last character and by its name in the other case, and reports which find it (the collection keeps only the
        exact name); V(time_filter) lists them with C(start_time) and C(end_time) around the backup's
        C(created_at) (one second either side, and exactly at it) and reports, for each window, whether the API
        listed the backup and whether the collection's re-check keeps it."
      - "Receiving side (O(dest_project_id)'s credentials): V(member_record) reads its own member record;
        V(member_list) lists the backup's members; V(pending_backup_by_id) reads the backup by id while the share
        is pending; V(member_status_filter) lists the backups shared with it under each C(member_status) and
        reports whether the backup shows under O(member_status) only; V(shared_list) finds it in the list of
        backups shared with it and reports which fields the entry has (C(project_id), the owner, among them);
        V(shared_owner) reads that list without a status filter and reports whether every entry has C(project_id)
        and whether the backup's entry names O(owner_project_id); V(wrong_type_vault) and V(unavailable_vault)
        accept the pending share into O(vault_id), a vault the user names as one for another kind of backup or in a
        status that does not allow it, and report the code and message (without O(vault_id), nothing is sent and the
        finding says C(not asked)); V(accept) accepts it into O(vault_id) with one raw request, reporting the
        vault's free space against the backup's C(resource_size) and the answer (which capacity rule applies);
        V(accepted_vault_id) reads the backup after accepting and reports which vault C(vault_id) names;
        V(reject_accepted) rejects the accepted share."
    type: str
    required: true
    choices: [accept, accepted_vault_id, add_member, duplicate_add, member_list, member_record, member_status_filter,
              name_filter, owner_member, pending_backup_by_id, reject_accepted, shared_list, shared_owner,
              time_filter, unavailable_vault, wrong_type_vault]
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
      - The receiving project's vault. Required for V(accept) and V(accepted_vault_id); for V(wrong_type_vault) and
        V(unavailable_vault), the vault that cannot take the backup (optional).
    type: str
  member_status:
    description:
      - For V(member_status_filter), the status the share has now; the backup must be listed under it only.
    type: str
    choices: [pending, accepted, rejected]
    default: pending
  owner_project_id:
    description:
      - For V(shared_owner) (required there), the project that shared the backup (32 hexadecimal characters).
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
- name: Does the backup list's name filter match exactly? (owner's credentials)
  cloudops.cbr.cbr_api_probe:
    probe: name_filter
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
  register: name_filter

- name: Which code does accepting into a disk vault get? (receiving project's credentials)
  cloudops.cbr.cbr_api_probe:
    probe: wrong_type_vault
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    vault_id: 3a1f0c1e-0000-4000-8000-000000000004
  register: wrong_type_vault

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
      description: The CBR endpoint host the request went to (never a credential); null when nothing was sent.
      type: str
      sample: cbr.eu-de.otc.t-systems.com
    iam_host:
      description: The IAM host the probe's password login went to; null for a token or AK/SK, which go to no IAM.
      type: str
      sample: iam.eu-de.otc.t-systems.com
    project_id:
      description: The project the probe acted as.
      type: str
      sample: 075e6035d300d48c2fd0c00b78b71ebf
    request:
      description: >-
        The request, as method and path without the host (no query, no headers); null when nothing was sent
        (C(not asked)).
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
      description: >-
        Numbers and fields the finding rests on (for example free space and resource size, the windows of
        V(time_filter), the statuses V(member_status_filter) found the backup under).
      type: dict
"""

import datetime
from urllib.parse import urlsplit

from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import vault_free_mb
from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    API_TIME_FORMAT,
    created_in_window,
    parse_created_at,
)

QUESTIONS = {
    "add_member": "Does AddMember's answer have count? (docs/api_notes.md §members.add)",
    "duplicate_add": "Which code does adding the same member again get: 6714 or 6703? "
    "(docs/api_notes.md §members.duplicate)",
    "owner_member": "Which vault does the owner see in the member record after the receiving side accepted? "
    "(docs/api_notes.md §members.record)",
    "name_filter": "Does the backup list's name filter match exactly, or also a prefix or another case of the name, "
    "which the collection's exact re-check then removes? (docs/api_notes.md §backups)",
    "time_filter": "What do the backup list's start_time and end_time compare, are the bounds included, and does the "
    "collection's created_at re-check ever remove or miss a backup? (docs/api_notes.md §backups)",
    "member_record": "Can the receiving project read its own member record? (docs/api_notes.md §recipient.reads)",
    "member_list": "Can the receiving project list the backup's members? (docs/api_notes.md §recipient.reads)",
    "pending_backup_by_id": "Can the receiving project read a pending shared backup by id? "
    "(docs/api_notes.md §recipient.reads)",
    "member_status_filter": "Does the shared list's member_status filter match exactly: is the backup listed under "
    "the status of its share only (pending before the accept, accepted after it)? "
    "(docs/api_notes.md §backups.member_status)",
    "shared_list": "Does the list of backups shared with the receiving project show the pending backup, and with "
    "which fields? (docs/api_notes.md §recipient.reads)",
    "shared_owner": "Does every entry of the list of backups shared with the receiving project carry its owner's "
    "project_id, as owner_project_ids relies on? (docs/api_notes.md §backups)",
    "wrong_type_vault": "Which code and message does accepting into a vault for another kind of backup get (6713)? "
    "(docs/api_notes.md §members.update)",
    "unavailable_vault": "Which code and message does accepting into a vault whose status does not allow it get "
    "(6712)? (docs/api_notes.md §members.update)",
    "accept": "Which capacity rule applies when accepting: resource_size or something smaller? "
    "(docs/api_notes.md §vaults.capacity)",
    "accepted_vault_id": "Which vault_id does the receiving project see on the backup after accepting? "
    "(docs/api_notes.md §recipient.vault_id)",
    "reject_accepted": "Can the receiving project reject a share it accepted, as the Huawei Terraform accepter does "
    "on destroy? (docs/api_notes.md §members.update)",
}
OWNER_PROBES = ("add_member", "duplicate_add", "owner_member")
# What the accept pre-flight needs of a pending backup (docs/api_notes.md §recipient.reads).
PREFLIGHT_FIELDS = ("resource_type", "resource_size", "status", "project_id")
SECOND = datetime.timedelta(seconds=1)


class ApiProbe(CbrModule):
    argument_spec = dict(
        probe=dict(type="str", required=True, choices=sorted(QUESTIONS)),
        backup_id=dict(type="str", required=True),
        dest_project_id=dict(type="str"),
        vault_id=dict(type="str"),
        member_status=dict(type="str", default="pending", choices=list(MEMBER_STATUSES)),
        owner_project_id=dict(type="str"),
    )
    module_kwargs = dict(
        supports_check_mode=False,
        required_if=[("probe", name, ["dest_project_id"]) for name in OWNER_PROBES]
        + [("probe", name, ["vault_id"]) for name in ("accept", "accepted_vault_id")]
        + [("probe", "shared_owner", ["owner_project_id"])],
    )

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"])]
        for name in ("dest_project_id", "owner_project_id"):
            if params[name] is not None:
                problems.append(project_id_problem(name, params[name]))
        if params["vault_id"] is not None:
            problems.append(uuid_problem("vault_id", params["vault_id"]))
        return [p for p in problems if p]

    @staticmethod
    def unsent():
        """The observation fields of a probe that sent nothing."""
        return dict(request=None, host=None, http_status=None, error_code=None, error_msg=None, answer_keys=[])

    def send(self, method, segments, params=None, body=None):
        """One raw request: (observation fields, answer body or None). A refusal (4xx) is an answer, not a failure;
        no answer at all, or a 5xx after the retries, fails the task (CbrApiError): the question was not answered."""
        url = self.client.url(*segments)
        seen = dict(
            self.unsent(),
            request="%s /%s" % (method, url.split("://", 1)[-1].split("/", 1)[-1]),
            host=urlsplit(url).hostname,  # the endpoint host this probe talked to (never a credential)
        )
        try:
            response = self.client.session.call(
                method, url, "probe %s" % self.params["probe"], params=params, body=body
            )
        except CbrApiError as error:
            if error.status_code is None or error.status_code >= 500:
                raise
            seen.update(http_status=error.status_code, error_code=error.error_code, error_msg=error.error_msg)
            return seen, None
        answer = response.json() if response.content else {}
        seen.update(http_status=response.status_code, answer_keys=sorted(answer) if isinstance(answer, dict) else [])
        return seen, answer

    @staticmethod
    def refusal(seen):
        return "%s %s" % (seen["http_status"], seen["error_code"] or seen["error_msg"] or "")

    def iam_host(self):
        """The IAM host the probe's credential logged in at: a password's; a token or AK/SK goes to no IAM."""
        auth = self.client.session.auth
        return urlsplit(auth.auth_url).hostname if getattr(auth, "kind", None) == "password" else None

    def run(self):
        probe = self.params["probe"]
        seen, finding, details = getattr(self, "probe_" + probe)()
        self.result["observation"] = dict(
            seen,
            probe=probe,
            question=QUESTIONS[probe],
            finding=finding,
            details=details,
            project_id=self.client.project_id,
            iam_host=self.iam_host(),
        )

    def listed(self, query):
        """(observation fields, whether the backup is on the first page of the backup list for query, or None when
        the list was refused)."""
        seen, answer = self.send("GET", ("backups",), params=query)
        if answer is None:
            return seen, None
        return seen, any(b.get("id") == self.params["backup_id"] for b in answer.get("backups") or [])

    def own_backup(self):
        seen, answer = self.send("GET", ("backups", self.params["backup_id"]))
        return seen, (answer or {}).get("backup")

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

    def probe_name_filter(self):
        seen, backup = self.own_backup()
        if backup is None:
            return seen, "the backup could not be read (%s)" % self.refusal(seen), {}
        name = backup.get("name") or ""
        queries = {"exact": name, "prefix": name[:-1], "other_case": name.swapcase()}
        queries = dict((label, text) for label, text in queries.items() if text and (label == "exact" or text != name))
        found = {}
        for label, text in queries.items():
            seen, found[label] = self.listed({"name": text})
            if found[label] is None:
                return seen, "the backup list was refused (%s)" % self.refusal(seen), dict(queries=queries)
        details = dict(queries=queries, listed=found)
        loose = [label.replace("_", " ") for label in ("prefix", "other_case") if found.get(label)]
        if not found.get("exact"):
            return seen, "no: the exact name does not find the backup; the collection would miss it", details
        if loose:
            return (
                seen,
                "loose: the name's %s finds the backup too; the collection's exact re-check removes such matches"
                % " and ".join(loose),
                details,
            )
        return seen, "exact: only the exact name finds the backup; the collection's re-check removes nothing", details

    def probe_time_filter(self):
        seen, backup = self.own_backup()
        if backup is None:
            return seen, "the backup could not be read (%s)" % self.refusal(seen), {}
        created = parse_created_at(backup.get("created_at"))
        if created is None:
            return seen, "the backup's created_at is no time: %s" % backup.get("created_at"), {}
        windows = {
            "around_created": (created - SECOND, created + SECOND),
            "from_created": (created, None),
            "until_created": (None, created),
            "after_created": (created + SECOND, None),
            "before_created": (None, created - SECOND),
        }
        details = dict(created_at=backup.get("created_at"), windows={})
        for label, window in windows.items():
            query = dict(
                (name, bound.strftime(API_TIME_FORMAT))
                for name, bound in zip(("start_time", "end_time"), window)
                if bound is not None
            )
            seen, found = self.listed(query)
            if found is None:
                return seen, "the backup list was refused (%s)" % self.refusal(seen), details
            details["windows"][label] = dict(query, listed=found, kept=created_in_window(backup, window))
        return seen, time_finding(details["windows"]), details

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
        seen, backup = self.own_backup()
        if backup is None:
            return seen, "no: a pending shared backup is not visible by id (%s)" % self.refusal(seen), {}
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
        expected = self.params["member_status"]
        listed = {}
        for status in MEMBER_STATUSES:
            seen, answer, entry = self.shared_entry(status)
            if answer is None:
                return seen, "the list of shared backups was refused (%s)" % self.refusal(seen), {}
            listed[status] = entry is not None
        others = [status for status in MEMBER_STATUSES if status != expected and listed[status]]
        if others:
            finding = "no: the %s backup is also listed under %s (a loose filter)" % (expected, ", ".join(others))
        elif not listed[expected]:
            finding = "no: the %s backup is not listed under %s" % (expected, expected)
        else:
            finding = "yes: listed under %s only" % expected
        return (
            seen,
            finding,
            dict(member_status=expected, listed_under=sorted(status for status, found in listed.items() if found)),
        )

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

    def probe_shared_owner(self):
        seen, answer = self.send("GET", ("backups",), params={"own_type": "shared"})
        if answer is None:
            return seen, "the list of shared backups was refused (%s)" % self.refusal(seen), {}
        entries = answer.get("backups") or []
        without = sum(1 for entry in entries if not entry.get("project_id"))
        ours = next((entry for entry in entries if entry.get("id") == self.params["backup_id"]), None)
        names = (ours or {}).get("project_id")
        details = dict(
            entries=len(entries),
            without_project_id=without,
            names_owner=None if ours is None else names == self.params["owner_project_id"],
        )
        if without:
            finding = "no: %d of %d entries have no project_id; owner_project_ids cannot match them" % (
                without,
                len(entries),
            )
        elif ours is None:
            finding = "inconclusive: the backup is not in the list of backups shared with this project"
        elif not details["names_owner"]:
            finding = "no: the entry names project %s, not the owner %s" % (names, self.params["owner_project_id"])
        else:
            finding = "yes: every entry (%d) has project_id, and this one names the owner" % len(entries)
        return seen, finding, details

    def accept_into(self, vault_id):
        seen, answer = self.send(
            "PUT",
            ("backups", self.params["backup_id"], "members", self.client.project_id),
            body={"status": "accepted", "vault_id": vault_id},
        )
        self.result["changed"] = answer is not None
        return seen, answer

    def unfit_vault(self):
        """Accept into the vault the user named as one that cannot take the backup; the answer is the finding."""
        vault_id = self.params["vault_id"]
        if vault_id is None:
            return self.unsent(), "not asked: no vault_id was given", {}
        _vault_seen, vault_answer = self.send("GET", ("vaults", vault_id))
        vault = (vault_answer or {}).get("vault") or {}
        billing = vault.get("billing") or {}
        details = dict(
            object_type=billing.get("object_type"),
            status=billing.get("status"),
            protect_type=billing.get("protect_type"),
            locked=vault.get("locked"),
        )
        seen, answer = self.accept_into(vault_id)
        details["accepted"] = answer is not None
        if answer is not None:
            return seen, "accepted: the vault was not refused, and the share is now accepted into it", details
        return seen, "refused with %s: %s" % (self.refusal(seen), seen["error_msg"]), details

    probe_wrong_type_vault = unfit_vault
    probe_unavailable_vault = unfit_vault

    def probe_accept(self):
        params = self.params
        vault_seen, vault_answer = self.send("GET", ("vaults", params["vault_id"]))
        _list_seen, _answer, entry = self.shared_entry("pending")
        free_mb = vault_free_mb((vault_answer or {}).get("vault") or {}) if vault_answer else None
        size_gb = (entry or {}).get("resource_size")
        details = dict(vault_free_mb=free_mb, resource_size_gb=size_gb, vault_read=vault_seen["http_status"])
        seen, answer = self.accept_into(params["vault_id"])
        accepted = answer is not None
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
        seen, backup = self.own_backup()
        if backup is None:
            return seen, "the accepted backup is not visible by id (%s)" % self.refusal(seen), {}
        shown = backup.get("vault_id")
        if shown == params["vault_id"]:
            finding = "the receiving project's own vault (the one it accepted into)"
        elif shown:
            finding = "another vault than the one accepted into (probably the owner's)"
        else:
            finding = "none: the backup has no vault_id in the receiving project's view"
        return seen, finding, dict(vault_id_is_own=shown == params["vault_id"])

    def probe_reject_accepted(self):
        seen, answer = self.send(
            "PUT", ("backups", self.params["backup_id"], "members", self.client.project_id), body={"status": "rejected"}
        )
        if answer is None:
            return seen, "no: the accepted share cannot be rejected (%s)" % self.refusal(seen), dict(rejected=False)
        self.result["changed"] = True
        status = (answer.get("member") or {}).get("status")
        return seen, "yes: the accepted share is now %s" % status, dict(rejected=status == "rejected")


def time_finding(windows):
    """The time_filter finding: does the API list the backup exactly where the collection's re-check keeps it?"""
    removed = [label for label, window in windows.items() if window["listed"] and not window["kept"]]
    missed = [label for label, window in windows.items() if window["kept"] and not window["listed"]]
    if not removed and not missed:
        return (
            "created_at, both bounds included, to the second: the API lists what the re-check keeps "
            "(it removes nothing)"
        )
    if not missed and all(window["listed"] for window in windows.values()):
        return (
            "ignored (or another field): every window lists the backup; the collection's re-check removes what "
            "lies outside"
        )
    parts = []
    if removed:
        parts.append("the re-check removes what the API listed for %s" % ", ".join(removed))
    if missed:
        parts.append(
            "the API leaves the backup out for %s where the re-check keeps it: the collection misses such backups"
            % ", ".join(missed)
        )
    return "; ".join(parts)


def main():
    ApiProbe().execute()


if __name__ == "__main__":
    main()
