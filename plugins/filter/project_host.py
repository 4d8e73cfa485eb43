# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options of a host that stands for a project (cloudops.cbr.cbr_projects inventory): the play's
options with the host's scope, and the host's own identity and location where it has them. Documented in
project_host_auth.yml next to this file."""

from ansible.errors import AnsibleFilterError

from ansible_collections.cloudops.cbr.plugins.module_utils._sources import IDENTITY, SCOPE

# Host variable -> the option it gives. The scope and location a project host carries (no secret among them).
HOST_PROJECT = "cbr_project_id"
HOST_LOCATION = (("cbr_region", "region"), ("cbr_auth_url", "auth_url"), ("cbr_endpoints", "endpoints"))
# Replaced together: the options that say where the services are (ca_cert and validate_certs stay the play's).
WHERE = ("auth_url", "region", "endpoint", "endpoints")
HOST_IDENTITY = "cbr_auth"


def project_host_auth(auth, host_vars):
    """auth (a dict of the collection's options; empty for the environment) for the project a host stands for.

    A host without cbr_project_id gets auth unchanged (a play on localhost). Otherwise the scope is the host's
    project (auth naming another project fails: a scope is never borrowed); the host's cbr_auth replaces auth's
    identity whole (never mixed option by option); cbr_region, cbr_auth_url and cbr_endpoints replace where the
    services are.
    """
    auth = dict(auth or {})
    host_vars = host_vars or {}
    project_id = host_vars.get(HOST_PROJECT)
    if project_id is None:
        return auth
    identity = host_vars.get(HOST_IDENTITY)
    if identity is not None:
        if not isinstance(identity, dict):
            raise AnsibleFilterError("%s must be a dict of identity options" % HOST_IDENTITY)
        unknown = sorted(set(identity) - set(IDENTITY))
        if unknown:
            raise AnsibleFilterError(
                "%s may hold only identity options (%s), got %s"
                % (HOST_IDENTITY, ", ".join(IDENTITY), ", ".join(unknown))
            )
        auth = dict((key, value) for key, value in auth.items() if key not in IDENTITY)
        auth.update(identity)
    named = dict((key, auth[key]) for key in SCOPE if auth.get(key) not in (None, ""))
    if named and named != {"project_id": project_id}:
        raise AnsibleFilterError(
            "the connection options name the scope %s, but this host stands for project %s: leave project_id and "
            "project_name out of them when the play runs over project hosts" % (named, project_id)
        )
    auth["project_id"] = project_id
    location = dict((option, host_vars[name]) for name, option in HOST_LOCATION if host_vars.get(name) is not None)
    if location:
        auth = dict((key, value) for key, value in auth.items() if key not in WHERE)
        auth.update(location)
    return auth


class FilterModule:
    def filters(self):
        return {"project_host_auth": project_host_auth}
