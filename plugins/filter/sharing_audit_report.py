# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit as a report people can read: a self-contained HTML page, a CSV file and the JSON they are
made from, for one project or for a whole estate.

sharing_audit_estate() merges the registered results of cloudops.cbr.cbr_shared_backup_info (owner view) of
several projects into one report (pure: the same audits give the same report, byte for byte). sharing_audit_html()
and sharing_audit_csv() render such a report, or one module result directly. Documented in sharing_audit_*.yml
next to this file.
"""

import csv
import datetime
import io

from ansible.errors import AnsibleFilterError
from jinja2 import Environment, StrictUndefined

from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._audit import summarize

REPORT_FORMAT = "cloudops.cbr.sharing_audit/1"
CSV_COLUMNS = (
    "backup_id",
    "backup_name",
    "vault_id",
    "vault_name",
    "resource_type",
    "project_id",
    "project_name",
    "status",
    "flags",
    "error",
    "owner_project_id",
    "owner_project_name",
    "within_estate",
)
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HTML_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title><style>
body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:0.25em 0.5em;text-align:left;vertical-align:top}
th{background:#eee}
.id{font-family:monospace;font-size:0.85em;color:#555}
.why{font-style:italic;color:#555}
.accepted{background:#d4edda}
.pending{background:#fff3cd}
.rejected{background:#e2e3e5}
.flagged{background:#f8d7da;font-weight:bold}
.error{background:#f5c6cb}
.summary td{font-weight:bold}
</style></head><body>
{%- macro named(id, names) -%}
{%- if id is none %}&mdash;{% elif names.get(id) %}{{ names[id] }}<br><span class="id">{{ id }}</span>
{%- else %}<span class="id">{{ id }}</span>{% endif -%}
{%- endmacro %}
<h1>{{ title }}</h1>
<table class="summary" id="summary"><tbody>
{%- for label, value in facts %}
<tr><th>{{ label }}</th><td data-fact="{{ label }}">{{ value }}</td></tr>
{%- endfor %}
</tbody></table>
<h2>Projects</h2>
<table id="projects"><thead><tr><th>Project</th><th>Name</th>{% if estate_known %}<th>In the estate</th>{% endif %}\
<th>Audited</th></tr></thead><tbody>
{%- for project in projects %}
<tr data-project-id="{{ project.id }}"><td class="id">{{ project.id }}</td>
<td>{% if project.name %}{{ project.name }}{% else %}<span class="why">{{ project.why_unnamed }}</span>{% endif %}</td>
{%- if estate_known %}<td>{{ "yes" if project.estate else "no" }}</td>{% endif %}\
<td>{{ "yes" if project.audited else "no" }}</td></tr>
{%- endfor %}
</tbody></table>
<h2>Flagged</h2>
<table id="flagged"><thead><tr><th>Backup</th><th>Project</th><th>Status</th><th>Flags</th></tr></thead><tbody>
{%- for entry in flagged %}
<tr class="flagged" data-backup-id="{{ entry.backup_id }}" data-project-id="{{ entry.project_id or '' }}">
<td>{{ named(entry.backup_id, backup_names) }}</td><td>{{ named(entry.project_id, project_names) }}</td>
<td>{{ entry.status or '' }}</td><td>{{ entry.flags | join(', ') }}</td></tr>
{%- else %}
<tr><td colspan="4">Nothing flagged.</td></tr>
{%- endfor %}
</tbody></table>
<h2>Who can see which backup</h2>
<table id="matrix"><thead><tr>{% if estate %}<th>Owner</th>{% endif %}<th>Backup</th><th>Vault</th>
{%- for project_id in columns %}<th data-project-id="{{ project_id }}">{{ named(project_id, project_names) }}</th>
{%- endfor %}</tr></thead><tbody>
{%- for backup in backups %}
<tr class="{{ 'flagged' if backup.flagged else '' }}" data-backup-id="{{ backup.id }}">
{%- if estate %}<td data-owner-project-id="{{ backup.project_id }}">{{ named(backup.project_id, project_names) }}</td>
{%- endif %}<td>{{ named(backup.id, backup_names) }}</td><td>{{ named(backup.vault_id, vault_names) }}</td>
{%- for project_id in columns %}{% set member = backup.members_by_project.get(project_id) %}
{%- if member is none %}<td data-project-id="{{ project_id }}"></td>
{%- else %}<td class="{{ 'flagged' if member.flags else member.status }}" data-project-id="{{ project_id }}" \
data-status="{{ member.status }}" data-flags="{{ member.flags | join(' ') }}"\
{%- if estate_known %} data-within-estate="{{ 'yes' if member.within_estate else 'no' }}"{% endif %}>{{ member.status }}
{%- if member.within_estate %}<br>estate{% endif %}
{%- if member.flags %}<br>&#9873; {{ member.flags | join(', ') }}{% endif %}</td>
{%- endif %}
{%- endfor %}
{%- if backup.error %}<td class="error" data-error="1">{{ backup.error }}</td>{% endif %}</tr>
{%- endfor %}
</tbody></table></body></html>
"""
_TEMPLATE = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True).from_string(
    HTML_TEMPLATE
)


def _receiver_view_members(backup):
    """A receiver-view entry (the share with the caller) as one member without a destination."""
    if backup.get("members") is None and backup.get("member_status"):
        return [{"dest_project_id": None, "status": backup["member_status"], "flags": backup.get("flags") or []}]
    return backup.get("members") or []


def _why_unnamed(audits, estate_known):
    """Why a project has no name, from what the audits could read (cbr_shared_backup_info's `names`)."""
    if any(((audit.get("names") or {}).get("projects")) for audit in audits):
        iam = "no auditing user has a role in it (IAM lists only the user's own projects)"
    elif any("names" in audit for audit in audits):
        iam = "AK/SK credentials cannot list project names (IAM lists projects for a token only)"
    else:
        iam = "the audit ran with names=false"
    estate = "not an estate project, " if estate_known else ""
    return "No name known: %snot named in expected_projects, and %s." % (estate, iam)


def sharing_audit_estate(audits, estate=None, expected_projects=None):
    """One report of the audits of several projects: every backup x member, a name (or why there is none) for every
    project, and the flags of the audits; when the estate is known, a member in a project that is neither an estate
    project nor expected is flagged `unexpected_project` as well.

    audits: {owner project ID: registered result of cbr_shared_backup_info (owner view)}.
    estate: {project ID: name} of every project of the estate (all of the inventory, audited or not), or None.
    expected_projects: the projects backups may be shared with besides the estate: a list of IDs, or a mapping of
    ID to name (the names are then shown).
    """
    if not isinstance(audits, dict):
        raise AnsibleFilterError("sharing_audit_estate needs a mapping of project ID to audit result")
    estate = dict(estate or {})
    given = dict(expected_projects) if isinstance(expected_projects, dict) else {}
    allowed = set(estate) | set(expected_projects or [])
    iam_names, vault_names, backups, vanished = {}, {}, [], 0
    # Audits in project order; each audit's backups in the module's order (by name and ID).
    for owner in sorted(audits, key=str):
        audit = audits[owner] or {}
        names = audit.get("names") or {}
        iam_names.update(names.get("projects") or {})
        vault_names.update(names.get("vaults") or {})
        vanished += (audit.get("summary") or {}).get("vanished", 0)
        for backup in audit.get("backups") or []:
            entry = dict(backup, project_id=backup.get("project_id") or owner)
            entry["members"] = [_estate_member(member, estate, allowed) for member in _receiver_view_members(backup)]
            entry.pop("member_status", None)
            entry.pop("flags", None)
            backups.append(entry)

    audited = sorted(owner for owner in audits if owner)
    referenced = set(estate) | set(audited) | set(b["project_id"] for b in backups if b["project_id"])
    referenced |= set(m["dest_project_id"] for b in backups for m in b["members"] if m["dest_project_id"])
    why_unnamed = _why_unnamed([a or {} for a in audits.values()], bool(estate))
    projects = {}
    for project_id in sorted(referenced):
        name = estate.get(project_id) or given.get(project_id) or iam_names.get(project_id)
        projects[project_id] = dict(
            name=name or None,
            why_unnamed=None if name else why_unnamed,
            estate=project_id in estate,
            audited=project_id in audited,
        )
    summary = summarize(backups, True, vanished)
    summary.update(
        projects=len(audited),
        within_estate=sum(1 for b in backups for m in b["members"] if m["within_estate"]),
        unnamed_projects=sorted(p for p, facts in projects.items() if not facts["name"]),
    )
    return dict(
        format=REPORT_FORMAT,
        estate_known=bool(estate),
        audited_projects=audited,
        projects=projects,
        vaults=dict((vault_id, vault_names[vault_id]) for vault_id in sorted(vault_names, key=str)),
        backups=backups,
        summary=summary,
    )


def _estate_member(member, estate, allowed):
    """A member with `within_estate`; when the estate is known, flagged `unexpected_project` if its project is neither
    in the estate nor expected."""
    dest = member.get("dest_project_id")
    flags = list(member.get("flags") or [])
    if estate and dest is not None and dest not in allowed and "unexpected_project" not in flags:
        flags.append("unexpected_project")
    return dict(member, flags=flags, within_estate=dest in estate)


def _report(report_or_audit, project_names=None):
    """A report as sharing_audit_estate() makes it, from a report or from one module result."""
    if (report_or_audit or {}).get("format") == REPORT_FORMAT:
        return report_or_audit
    audit = report_or_audit or {}
    owners = set(backup.get("project_id") for backup in audit.get("backups") or [])
    owner = owners.pop() if len(owners) == 1 else None
    return sharing_audit_estate({owner: audit}, expected_projects=project_names)


def _zoned(moment):
    """The time as ISO 8601 with its offset; a time without a zone is refused (it would be read as local time)."""
    if isinstance(moment, datetime.datetime):
        parsed = moment
    else:
        try:
            parsed = datetime.datetime.fromisoformat(str(moment).replace("Z", "+00:00"))
        except ValueError:
            raise AnsibleFilterError("generated_at must be an ISO 8601 time, got %r" % moment) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise AnsibleFilterError(
            "generated_at must carry its zone, got %r: for example now(utc=true).strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ')"
            % str(moment)
        )
    return parsed.isoformat()


def _is_flagged(backup):
    return bool(backup.get("error")) or any(member.get("flags") for member in backup["members"])


def sharing_audit_html(report_or_audit, title="CBR sharing audit", generated_at=None, project_names=None):
    """A self-contained HTML page: the summary on top, the projects (estate), the flagged entries, then a backups x
    projects matrix coloured by member status (flagged backups first). Every value is escaped by the template."""
    report = _report(report_or_audit, project_names)
    projects, summary = report["projects"], report["summary"]
    names = dict((project_id, facts["name"]) for project_id, facts in projects.items() if facts["name"])
    backups = sorted(
        report["backups"],
        key=lambda b: (not _is_flagged(b), not b["members"], b.get("name") or "", b["id"], b["project_id"] or ""),
    )
    columns = sorted(
        set(m["dest_project_id"] for b in backups for m in b["members"] if m["dest_project_id"]),
        key=lambda p: (names.get(p) or "~", p),
    )
    estate = len(report["audited_projects"]) > 1 or report["estate_known"]
    owners = report["audited_projects"]
    facts = [("Projects" if estate else "Project", ", ".join(_named_text(o, names) for o in owners) or "\u2014")]
    if generated_at:
        facts.append(("Generated", _zoned(generated_at)))
    facts += [
        ("Backups", summary["backups"]),
        ("Shared backups", summary["shared_backups"]),
        ("Members", summary["members"]),
    ]
    facts += [("Members %s" % status, summary["by_status"].get(status, 0)) for status in MEMBER_STATUSES]
    if estate:
        facts.append(("Members within the estate", summary["within_estate"]))
    facts += [("Flagged", len(summary["flagged"])), ("Unreadable backups", summary["errors"])]
    rows = [
        dict(
            b,
            flagged=_is_flagged(b),
            error=b.get("error"),
            members_by_project=dict((m["dest_project_id"], m) for m in b["members"]),
        )
        for b in backups
    ]
    return _TEMPLATE.render(
        title=title,
        facts=facts,
        estate=estate,
        estate_known=report["estate_known"],
        projects=[dict(facts, id=project_id) for project_id, facts in sorted(projects.items())],
        flagged=summary["flagged"],
        columns=columns,
        backups=rows,
        project_names=names,
        backup_names=dict((b["id"], b.get("name")) for b in backups),
        vault_names=report["vaults"],
    )


def _named_text(identifier, names):
    return "%s %s" % (names[identifier], identifier) if names.get(identifier) else identifier


def _csv_cell(value):
    """The value as a CSV cell a spreadsheet shows as text: a leading formula character gets a ' before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_line(cells):
    """One CSV line ending in LF. Written with CR LF first: only then does the csv module also quote a field that
    holds a lone CR (it quotes the characters of its line end), which a reader would otherwise take as a line end."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()[:-2] + "\n"


def sharing_audit_csv(report_or_audit, project_names=None):
    """One CSV row per backup and member (a backup without members gets one row with empty member columns); cells
    that a spreadsheet would run as a formula are written as text."""
    report = _report(report_or_audit, project_names)
    projects = report["projects"]
    lines = [_csv_line(CSV_COLUMNS)]
    for backup in report["backups"]:
        owner = backup["project_id"]
        for member in backup["members"] or [{}]:
            dest = member.get("dest_project_id")
            row = [
                backup["id"],
                backup.get("name"),
                backup.get("vault_id"),
                report["vaults"].get(backup.get("vault_id")),
                backup.get("resource_type"),
                dest,
                (projects.get(dest) or {}).get("name"),
                member.get("status"),
                ";".join(member.get("flags") or []),
                backup.get("error"),
                owner,
                (projects.get(owner) or {}).get("name"),
                ("yes" if member["within_estate"] else "no") if member and report["estate_known"] else "",
            ]
            lines.append(_csv_line([_csv_cell(cell) for cell in row]))
    return "".join(lines)


class FilterModule:
    def filters(self):
        return {
            "sharing_audit_html": sharing_audit_html,
            "sharing_audit_csv": sharing_audit_csv,
            "sharing_audit_estate": sharing_audit_estate,
        }
