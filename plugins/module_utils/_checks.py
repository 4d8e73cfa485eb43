# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks shared by the modules: id formats, and how a bad value is shown in a message.

Private to this collection: the interface may change without notice.
"""

import re

PROJECT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


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
