# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit as a report people can read: a self-contained HTML page and a CSV file.

Both take the registered result of cloudops.cbr.cbr_shared_backup_info (owner view). Documented in
sharing_audit_html.yml and sharing_audit_csv.yml next to this file.
"""

import csv
import html
import io

STATUSES = ("pending", "accepted", "rejected")
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
)
STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:0.25em 0.5em;text-align:left;vertical-align:top}
th{background:#eee}
.id{font-family:monospace;font-size:0.85em;color:#555}
.accepted{background:#d4edda}
.pending{background:#fff3cd}
.rejected{background:#e2e3e5}
.flagged{background:#f8d7da;font-weight:bold}
.error{background:#f5c6cb}
.summary td{font-weight:bold}
"""


def _rows(audit):
    """(backup, member or None) pairs: every backup, with one pair per member (or one without a member)."""
    for backup in audit.get("backups") or []:
        members = backup.get("members")
        if members is None and backup.get("member_status"):  # receiver view: the share with the caller
            members = [{"dest_project_id": None, "status": backup["member_status"], "flags": backup.get("flags")}]
        for member in members or [None]:
            yield backup, member


def _is_flagged(backup):
    return bool(backup.get("error")) or any(member.get("flags") for member in backup.get("members") or [])


def _ordered_backups(audit):
    """Flagged (or unreadable) backups first, then shared ones, then the rest; by name and ID within each."""
    return sorted(
        audit.get("backups") or [],
        key=lambda b: (not _is_flagged(b), not b.get("members"), b.get("name") or "", b["id"]),
    )


def _named(identifier, names):
    """An ID with its name when known, as HTML."""
    if identifier is None:
        return "&mdash;"
    name = (names or {}).get(identifier)
    text = '<span class="id">%s</span>' % html.escape(identifier)
    return "%s<br>%s" % (html.escape(name), text) if name else text


def sharing_audit_csv(audit):
    """One CSV row per backup and member (a backup without members gets one row with empty member columns)."""
    names = audit.get("names") or {}
    projects, vaults = names.get("projects") or {}, names.get("vaults") or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for backup, member in _rows(audit):
        member = member or {}
        project_id = member.get("dest_project_id")
        writer.writerow(
            [
                backup["id"],
                backup.get("name") or "",
                backup.get("vault_id") or "",
                vaults.get(backup.get("vault_id")) or "",
                backup.get("resource_type") or "",
                project_id or "",
                projects.get(project_id) or "",
                member.get("status") or "",
                ";".join(member.get("flags") or []),
                backup.get("error") or "",
            ]
        )
    return out.getvalue()


def sharing_audit_html(audit, title="CBR sharing audit", generated_at=None):
    """A self-contained HTML page: the summary on top, then the flagged entries, then a backups x projects matrix
    coloured by member status (flagged backups first)."""
    names = audit.get("names") or {}
    projects, vaults = names.get("projects") or {}, names.get("vaults") or {}
    summary = audit.get("summary") or {}
    backups = _ordered_backups(audit)
    members_by_backup = dict(
        (b["id"], dict((m["dest_project_id"], m) for m in b.get("members") or [])) for b in backups
    )
    columns = sorted(
        set(p for members in members_by_backup.values() for p in members),
        key=lambda p: (projects.get(p) or "~", p),
    )
    owners = sorted(set(b.get("project_id") for b in backups if b.get("project_id")))
    by_status = summary.get("by_status") or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head><body>'
        % (html.escape(title), STYLE),
        "<h1>%s</h1>" % html.escape(title),
        '<table class="summary" id="summary"><tbody>',
    ]
    facts = [("Project", ", ".join(_named(o, projects) for o in owners) or "&mdash;")]
    if generated_at:
        facts.append(("Generated", html.escape(str(generated_at))))
    facts += [
        ("Backups", summary.get("backups", len(backups))),
        ("Shared backups", summary.get("shared_backups", 0)),
        ("Members", summary.get("members", 0)),
    ]
    facts += [("Members %s" % status, by_status.get(status, 0)) for status in STATUSES]
    facts += [("Flagged", len(summary.get("flagged") or [])), ("Unreadable backups", summary.get("errors", 0))]
    parts += [
        '<tr><th>%s</th><td data-fact="%s">%s</td></tr>' % (label, html.escape(label), value) for label, value in facts
    ]
    parts.append("</tbody></table>")

    backup_names = dict((b["id"], b.get("name")) for b in backups)
    parts += [
        "<h2>Flagged</h2>",
        '<table id="flagged"><thead><tr><th>Backup</th><th>Project</th><th>Status</th>'
        "<th>Flags</th></tr></thead><tbody>",
    ]
    for entry in summary.get("flagged") or []:
        parts.append(
            '<tr class="flagged" data-backup-id="%s" data-project-id="%s"><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
            "</tr>"
            % (
                html.escape(entry["backup_id"]),
                html.escape(entry.get("project_id") or ""),
                _named(entry["backup_id"], backup_names),
                _named(entry.get("project_id"), projects),
                html.escape(entry.get("status") or ""),
                html.escape(", ".join(entry.get("flags") or [])),
            )
        )
    if not summary.get("flagged"):
        parts.append('<tr><td colspan="4">Nothing flagged.</td></tr>')
    parts.append("</tbody></table>")

    parts += ["<h2>Who can see which backup</h2>", '<table id="matrix"><thead><tr><th>Backup</th><th>Vault</th>']
    parts += ['<th data-project-id="%s">%s</th>' % (html.escape(p), _named(p, projects)) for p in columns]
    parts.append("</tr></thead><tbody>")
    for backup in backups:
        row_class = "flagged" if _is_flagged(backup) else ""
        cells = [
            '<tr class="%s" data-backup-id="%s"><td>%s</td><td>%s</td>'
            % (
                row_class,
                html.escape(backup["id"]),
                _named(backup["id"], backup_names),
                _named(backup.get("vault_id"), vaults),
            )
        ]
        members = members_by_backup[backup["id"]]
        for project_id in columns:
            member = members.get(project_id)
            if member is None:
                cells.append('<td data-project-id="%s"></td>' % html.escape(project_id))
                continue
            flags = member.get("flags") or []
            cells.append(
                '<td class="%s" data-project-id="%s" data-status="%s" data-flags="%s">%s%s</td>'
                % (
                    "flagged" if flags else html.escape(member.get("status") or ""),
                    html.escape(project_id),
                    html.escape(member.get("status") or ""),
                    html.escape(" ".join(flags)),
                    html.escape(member.get("status") or ""),
                    "<br>&#9873; %s" % html.escape(", ".join(flags)) if flags else "",
                )
            )
        if backup.get("error"):
            cells.append('<td class="error" data-error="1">%s</td>' % html.escape(backup["error"]))
        cells.append("</tr>")
        parts.append("".join(cells))
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts) + "\n"


class FilterModule:
    def filters(self):
        return {"sharing_audit_html": sharing_audit_html, "sharing_audit_csv": sharing_audit_csv}
