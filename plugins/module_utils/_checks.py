# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks shared by the modules and the role: id formats, list options, unknown names, and how a bad value
is shown in a message.

Private to this collection: the interface may change without notice.
"""

import difflib
import re

# \Z, not $: $ also matches before a final newline, and "<id>\n" would pass and go out in a request.
PROJECT_ID_RE = re.compile(r"^[0-9a-f]{32}\Z")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def shown(value, limit=60):
    """The value as an error message shows it: quoted, and cut when long."""
    text = repr(value)
    return text if len(text) <= limit else "%s... (%d characters)" % (text[:limit], len(str(value)))


def project_id_problem(name, value):
    """A message naming the option when value is not a 32-hex project id, else None."""
    if not PROJECT_ID_RE.match(value or ""):
        return "%s must be a project id of 32 lowercase hex characters, got %s" % (name, shown(value))
    return None


def uuid_problem(name, value):
    """A message naming the option when value is not a lowercase UUID, else None."""
    if not UUID_RE.match(value or ""):
        return "%s must be a UUID such as 0b07081e-3ec7-4e77-8571-54e2947da422, got %s" % (name, shown(value))
    return None


def resource_id_problem(name, value):
    """A message naming the option when value is not a resource id (a server's, disk's or file system's UUID)."""
    if not UUID_RE.match(value or ""):
        return (
            "%s must be resource ids, the UUID of a server, disk or file system such as "
            "0b07081e-3ec7-4e77-8571-54e2947da422 (a server's name goes in resource_name), got %s"
            % (name, shown(value))
        )
    return None


def workers_problem(workers):
    """The problem of a `workers` option (how many requests or runs go on at once), or None."""
    return None if 1 <= workers <= 64 else "workers must be from 1 to 64, got %d" % workers


def list_problems(name, values, item_problem=None, may_be_empty=False):
    """What is wrong with a list option that selects or targets something; None (not given) is fine.

    An empty list is refused unless may_be_empty (the option documents what empty means): it is what a blank
    survey field or a filter that matched nothing gives, and must never turn into "all" or "none" silently.
    A value listed twice is refused, naming it; item_problem(name, value) checks each value's format.
    """
    if values is None:
        return []
    if not values and not may_be_empty:
        return ["%s must not be empty: list at least one value, or leave the option out" % name]
    problems = [item_problem(name, value) for value in values] if item_problem else []
    seen, repeated = set(), []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    if repeated:
        problems.append("%s lists %s more than once" % (name, ", ".join(shown(value) for value in repeated)))
    return [problem for problem in problems if problem]


def unknown_names_problems(what, names, known):
    """One message per name not in known, with the closest known name when one is close ("did you mean")."""
    problems = []
    for name in sorted(set(names) - set(known)):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = " (did you mean %s?)" % close[0] if close else ""
        problems.append("%s %s is not known%s" % (what, name, hint))
    return problems
