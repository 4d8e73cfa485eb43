# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit report as pure functions: the estate merge, names and why a name is missing, the flags,
determinism, and the HTML and CSV with hostile names (escaped by the template, formulas neutralised)."""

import copy
import csv
import html.parser
import io
import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudops.cbr.plugins.filter.sharing_audit_report import (
    sharing_audit_csv,
    sharing_audit_estate,
    sharing_audit_html,
)

SOURCE, DR, WEB_PROJECT, GOLDEN, STRANGER = ("0761a1f0e5b34c9b8c2f0f0a7d1e%04d" % n for n in (1, 2, 3, 4, 99))
VAULT = "3a1f0c1e-0000-4000-8000-000000000001"
HOSTILE = [
    '<script>alert("x")</script>',
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB",
    "\rCR",
    '" onmouseover="alert(1)',
    "&amp; not an entity",
]


def backup(backup_id, name, project, members=(), error=None):
    entry = {
        "id": backup_id,
        "name": name,
        "project_id": project,
        "vault_id": VAULT,
        "status": "available",
        "resource_type": "OS::Nova::Server",
        "members": [{"dest_project_id": d, "status": s, "flags": list(f)} for d, s, f in members],
    }
    if error:
        entry["error"] = error
    return entry


def audit(backups, project_names=None, vanished=0):
    result = {"backups": backups, "summary": {"vanished": vanished}}
    if project_names is not None:
        result["names"] = {"projects": project_names, "vaults": {VAULT: "vault-servers"}}
    return result


def estate_audits():
    return {
        DR: audit([backup("b-dr-1", "dr-db", DR, [(SOURCE, "accepted", [])])], {DR: "eu-de_dr"}),
        SOURCE: audit(
            [
                backup("b-1", "web-01", SOURCE, [(DR, "accepted", []), (STRANGER, "pending", ["pending_too_long"])]),
                backup("b-2", "web-02", SOURCE),
            ],
            {},  # AK/SK: no project names
            vanished=1,
        ),
    }


ESTATE = {SOURCE: "eu-de_source", DR: "eu-de_dr", WEB_PROJECT: "eu-nl_web"}


def test_the_estate_report_has_every_backup_and_member_once_with_estate_flags():
    report = sharing_audit_estate(estate_audits(), ESTATE)
    assert report["audited_projects"] == [SOURCE, DR]
    assert [(b["project_id"], b["id"]) for b in report["backups"]] == [(SOURCE, "b-1"), (SOURCE, "b-2"), (DR, "b-dr-1")]
    members = dict(((b["id"], m["dest_project_id"]), m) for b in report["backups"] for m in b["members"])
    assert members[("b-dr-1", SOURCE)]["within_estate"] and members[("b-dr-1", SOURCE)]["flags"] == []
    assert members[("b-1", STRANGER)]["flags"] == ["pending_too_long", "unexpected_project"]
    assert not members[("b-1", STRANGER)]["within_estate"]
    summary = report["summary"]
    assert (summary["projects"], summary["backups"], summary["shared_backups"], summary["members"]) == (2, 3, 2, 3)
    assert (summary["within_estate"], summary["vanished"], summary["errors"]) == (2, 1, 0)
    assert summary["by_status"] == {"pending": 1, "accepted": 2, "rejected": 0}
    assert summary["flagged"] == [
        {
            "backup_id": "b-1",
            "project_id": STRANGER,
            "status": "pending",
            "flags": ["pending_too_long", "unexpected_project"],
        }
    ]


def test_every_estate_project_is_named_and_an_unknown_one_says_why():
    report = sharing_audit_estate(
        estate_audits(),
        ESTATE,
    )
    projects = report["projects"]
    assert sorted(projects) == sorted([SOURCE, DR, WEB_PROJECT, STRANGER])
    assert {p: projects[p]["name"] for p in ESTATE} == ESTATE
    assert projects[WEB_PROJECT]["estate"] and not projects[WEB_PROJECT]["audited"]
    assert projects[STRANGER]["name"] is None and not projects[STRANGER]["estate"]
    why = projects[STRANGER]["why_unnamed"]
    assert "not an estate project" in why and "expected_projects" in why and "no auditing user has a role" in why
    assert report["summary"]["unnamed_projects"] == [STRANGER]


@pytest.mark.parametrize(
    "names, reason",
    [
        ({}, "AK/SK credentials cannot list project names"),
        (None, "names=false"),
        ({SOURCE: "eu-de_source"}, "no auditing user has a role in it"),
    ],
)
def test_a_single_audit_names_given_projects_and_says_why_others_have_no_name(names, reason):
    single = audit([backup("b-1", "web", SOURCE, [(DR, "accepted", []), (GOLDEN, "accepted", [])])], names)
    report = sharing_audit_estate({SOURCE: single}, expected_projects={DR: "eu-de_dr (given)"})
    assert report["projects"][DR]["name"] == "eu-de_dr (given)"
    assert reason in report["projects"][GOLDEN]["why_unnamed"]
    assert "not an estate project" not in report["projects"][GOLDEN]["why_unnamed"]  # no estate in this run
    assert [m["flags"] for m in report["backups"][0]["members"]] == [[], []]  # no estate: the module's flags only
    page = sharing_audit_html(single, project_names={DR: "eu-de_dr (given)"})
    assert "eu-de_dr (given)" in page and reason in page
    rows = list(csv.DictReader(io.StringIO(sharing_audit_csv(single, project_names={DR: "eu-de_dr (given)"}))))
    assert [r["project_name"] for r in rows] == ["eu-de_dr (given)", ""]
    assert [r["within_estate"] for r in rows] == ["", ""]


def test_names_come_from_the_estate_first_then_the_user_then_iam():
    single = audit([backup("b-1", "web", SOURCE, [(DR, "accepted", [])])], {DR: "iam-dr", SOURCE: "iam-source"})
    report = sharing_audit_estate({SOURCE: single}, {SOURCE: "estate-source"}, {SOURCE: "given", DR: "given-dr"})
    assert (report["projects"][SOURCE]["name"], report["projects"][DR]["name"]) == ("estate-source", "given-dr")


def test_the_report_is_deterministic_whatever_the_order_of_the_audits():
    audits = estate_audits()
    reordered = dict(reversed(list(copy.deepcopy(audits).items())))
    first, second = (
        sharing_audit_estate(audits, ESTATE),
        sharing_audit_estate(reordered, dict(reversed(ESTATE.items()))),
    )
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert sharing_audit_html(first) == sharing_audit_html(second)
    assert sharing_audit_csv(first) == sharing_audit_csv(second)
    assert audits == estate_audits()  # the inputs are not changed


def test_the_estate_page_shows_owners_estate_shares_and_every_project():
    page = sharing_audit_html(sharing_audit_estate(estate_audits(), ESTATE))
    parser = Parser()
    parser.feed(page)
    assert list(parser.rows["matrix"][0])[:3] == ["Owner", "Backup", "Vault"]
    assert {row[0] for row in parser.rows["projects"][1:]} == {SOURCE, DR, WEB_PROJECT, STRANGER}
    assert 'data-within-estate="yes"' in page and 'data-flags="pending_too_long unexpected_project"' in page
    facts = dict((row[0], row[1]) for row in parser.rows["summary"])
    assert facts["Members within the estate"] == "2" and facts["Flagged"] == "1"


class Parser(html.parser.HTMLParser):
    """Text of every cell by table id, and every tag and attribute seen (to prove nothing hostile got through)."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self.attributes, self._table, self._cell = {}, [], [], None, None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _value in attrs]
        if tag == "table":
            self._table = self.rows.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append(" ".join(part.strip() for part in self._cell if part.strip()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def hostile_audit():
    backups = [
        backup("b-%d" % n, name, SOURCE, [(DR, "pending", ["unexpected_project"])], error=name)
        for n, name in enumerate(HOSTILE)
    ]
    result = audit(backups, {SOURCE: HOSTILE[0], DR: HOSTILE[1]})
    result["names"]["vaults"] = {VAULT: HOSTILE[7]}
    return result


def test_hostile_names_are_text_in_the_html_page():
    page = sharing_audit_html(hostile_audit(), title=HOSTILE[0])
    parser = Parser()
    parser.feed(page)
    assert "script" not in parser.tags and "onmouseover" not in parser.attributes
    assert sorted(set(parser.tags)) == ["body", "br", "h1", "h2", "head", "html", "meta", "span", "style", "table",
                                        "tbody", "td", "th", "thead", "title", "tr"]  # fmt: skip
    texts = [cell for row in parser.rows["matrix"][1:] for cell in row]
    for name in HOSTILE:
        assert any(name.strip() in text for text in texts), name  # shown as the text it is
    assert "&amp;amp; not an entity" in page


def test_hostile_names_reach_the_csv_as_text_not_formulas():
    text = sharing_audit_csv(hostile_audit())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE) + 1
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert [cell for row in rows for cell in row if cell.startswith(starts)] == []
    by_id = dict((row[0], row) for row in rows[1:])
    assert by_id["b-1"][1] == '\'=HYPERLINK("http://evil","x")'  # the name, kept whole behind a quote
    assert by_id["b-3"][1] == "'-2+3" and by_id["b-3"][9] == "'-2+3"  # the error column too
    assert by_id["b-5"][1] == "'\tTAB" and by_id["b-6"][1] == "'\rCR"
    assert by_id["b-0"][1] == HOSTILE[0] and by_id["b-0"][6] == '\'=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize(
    "generated_at, shown",
    [
        ("2026-11-24T08:00:00Z", "2026-11-24T08:00:00+00:00"),
        ("2026-11-24T09:00:00+01:00", "2026-11-24T09:00:00+01:00"),
    ],
)
def test_the_generated_time_carries_its_zone(generated_at, shown):
    parser = Parser()
    parser.feed(sharing_audit_html(audit([]), generated_at=generated_at))
    assert dict((row[0], row[1]) for row in parser.rows["summary"])["Generated"] == shown


@pytest.mark.parametrize("generated_at", ["2026-11-24T08:00:00", "yesterday"])
def test_a_generated_time_without_zone_is_refused(generated_at):
    with pytest.raises(AnsibleFilterError, match="generated_at must"):
        sharing_audit_html(audit([]), generated_at=generated_at)


def test_the_estate_filter_refuses_a_list_of_audits():
    with pytest.raises(AnsibleFilterError, match="mapping of project ID"):
        sharing_audit_estate([audit([])])


def test_a_project_outside_the_estate_that_is_expected_is_not_flagged():
    report = sharing_audit_estate(estate_audits(), ESTATE, expected_projects={STRANGER: "partner"})
    [member] = [m for b in report["backups"] for m in b["members"] if m["dest_project_id"] == STRANGER]
    assert (member["flags"], member["within_estate"]) == (["pending_too_long"], False)
    assert report["projects"][STRANGER]["name"] == "partner"
    listed = sharing_audit_estate(estate_audits(), ESTATE, expected_projects=[STRANGER])
    assert listed["projects"][STRANGER]["name"] is None
    assert listed["summary"]["flagged"][0]["flags"] == ["pending_too_long"]
