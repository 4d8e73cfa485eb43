# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task's connection: its one resolver, the checks of the merged options, and the client it gives.

resolve() merges the levels of _sources (each group of options whole from one level); the result is then validated
whatever the source of each value, and connect() turns it into a client for one service.

Private to this collection: the interface may change without notice.
"""

import os
import re
from urllib.parse import urlsplit

from ansible_collections.cloudops.cbr.plugins.module_utils._api import CLIENTS
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, shown
from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import AkSkAuth, PasswordAuth, TokenAuth
from ansible_collections.cloudops.cbr.plugins.module_utils._endpoints import (
    API_VERSIONS,
    SERVICE_TYPES,
    UNCONFIRMED_PRESETS,
    catalog_endpoint,
    preset_endpoint,
    service_root,
    url_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError
from ansible_collections.cloudops.cbr.plugins.module_utils._http import ApiSession
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import (
    AUTH_ARGUMENT_SPEC,
    CREDENTIAL_KINDS,
    GROUPS,
    SECRET_OPTIONS,
    levels,
    merge,
)

UNCONFIRMED_PRESET_WARNING = (
    "the %s endpoint %s follows the region's pattern, which no public source confirms for %s: if it fails, set "
    "endpoints.%s (or endpoint) to the address your cloud documents, or log in with a password so that the token "
    "catalog names it"
)


def resolve(params, environ=None):
    """The connection of one task, merged from every level (see merge()) and not yet validated. Sends nothing.

    Raises CbrConfigError when `cloud` names no cloud of clouds.yaml, CbrMissingLibrary without PyYAML.
    """
    environ = os.environ if environ is None else environ
    warnings = []
    options, sources, unused_scope = merge(levels(params, environ, warnings))
    if options["validate_certs"] is None:
        options["validate_certs"] = True
    # The options outside the groups (cloud, timeout, ...) are the task's own.
    options.update((name, params.get(name)) for name in AUTH_ARGUMENT_SPEC if name not in options)
    return Connection(options, sources, unused_scope, warnings)


_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+\Z")


class Connection:
    """The merged connection options of one task, where each group came from, and what they give."""

    def __init__(self, options, sources, unused_scope=None, warnings=()):
        self.options = options
        self.sources = sources
        # Where a project below the identity's level was found and not used (see _sources.merge), for messages.
        self.unused_scope = unused_scope
        self.warnings = list(warnings)  # what the task should be warned of (clouds.yaml keys not read)

    def secrets(self):
        """Every secret value in the options, to add to the module's no_log values."""
        return [self.options[name] for name in SECRET_OPTIONS if self.options.get(name)]

    def group_options(self):
        """The identity, scope and location options as merged."""
        return dict((name, self.options[name]) for _group, names in GROUPS for name in names)

    def auth_url(self):
        options = self.options
        if options["auth_url"]:
            return options["auth_url"]
        return preset_endpoint("iam", options["region"]) + "/v3" if options["region"] else None

    def iam_url(self, credential):
        """Where IAM is for calls after the login (the project names): auth_url as given, else where the password
        login went (the preset of the region the user named). A token without auth_url has none: the IAM that issued
        it is unknown, and the token never goes to a host the user did not name (docs/api_notes.md §iam.catalog)."""
        return self.options["auth_url"] or getattr(credential, "auth_url", None)

    def credential(self, scoped=True):
        """The credential of the identity group: a token, else AK/SK, else a password; None when there is none.

        Not `scoped`: for IAM's own calls (the projects the identity reaches), a password without a project logs
        in to its domain."""
        options = self.options
        if options["token"]:
            return TokenAuth(options["token"])
        if options["access_key"] or options["secret_key"]:
            return AkSkAuth(
                options["access_key"],
                options["secret_key"],
                options["security_token"],
                project_id=options["project_id"],
            )
        if options["username"] or options["password"]:
            return PasswordAuth(
                options["username"],
                options["password"],
                options["domain_name"],
                self.auth_url(),
                project_id=options["project_id"],
                project_name=options["project_name"],
                domain_id=options["domain_id"],
                domain_scoped=not scoped,
            )
        return None

    def endpoint(self, service, own_service=None, catalog=None):
        """Where `service` is: `endpoint` (the module's own service), `endpoints`, the catalog, the region preset."""
        options = self.options
        if service == own_service and options["endpoint"]:
            return options["endpoint"]
        if (options["endpoints"] or {}).get(service):
            return options["endpoints"][service]
        found = catalog_endpoint(catalog, service, options["region"])
        if found:
            return found
        return preset_endpoint(service, options["region"]) if options["region"] else None

    def unconfirmed_preset_warning(self, service, catalog=None):
        """The warning for a task that reaches `service` at a preset no source confirms (UNCONFIRMED_PRESETS), or
        None: the user named the endpoint, the catalog did, or the preset is documented."""
        options, region = self.options, self.options["region"]
        if (
            (service, region) not in UNCONFIRMED_PRESETS
            or options["endpoint"]
            or (options["endpoints"] or {}).get(service)
        ):
            return None
        preset = preset_endpoint(service, region)
        if self.endpoint(service, own_service=service, catalog=catalog) != preset:
            return None
        return UNCONFIRMED_PRESET_WARNING % (service, preset, region, service)

    def problems(self, service="cbr", scoped=True):
        """What is wrong with the merged options, whatever their source; each message names the option.

        Not `scoped`: the options are for IAM's own calls (see credential()), not for one project's service."""
        options, problems = self.options, []
        if options["project_id"] is not None:
            problems.append(project_id_problem("project_id", options["project_id"]))
        if options["region"] is not None and not _REGION_RE.match(options["region"]):
            problems.append("region must look like eu-de or ap-southeast-1, got %s" % shown(options["region"]))
        for name in ("auth_url", "endpoint"):
            if options[name] is not None:
                problems.append(url_problem(name, options[name]))
        for key, url in sorted((options["endpoints"] or {}).items()):
            if key not in SERVICE_TYPES:
                problems.append("endpoints: unknown service %s (known: %s)" % (shown(key), ", ".join(SERVICE_TYPES)))
            else:
                problems.append(url_problem("endpoints.%s" % key, url))
        if options["ca_cert"] and not os.path.isfile(os.path.expanduser(options["ca_cert"])):
            problems.append("ca_cert must be a CA bundle file, got %s (no such file)" % shown(options["ca_cert"]))
        if options.get("timeout") is not None and not options["timeout"] > 0:
            problems.append("timeout must be more than 0 seconds, got %s" % options["timeout"])
        if options.get("rate_limit") is not None and not options["rate_limit"] > 0:
            problems.append("rate_limit must be more than 0 requests per second, got %s" % options["rate_limit"])
        problems = [p for p in problems if p]
        return problems + self._credential_problems(service, scoped)

    def _credential_problems(self, service, scoped):
        credential = self.credential(scoped)
        if credential is None:
            return [
                "no credentials: set token, or access_key and secret_key, or username, password and domain_name "
                "(in the task, in clouds.yaml through cloud, or in OS_*, HW_* or HUAWEICLOUD_SDK_* variables)"
            ]
        came_from = " (the identity comes from %s)" % self.sources["identity"]
        if self.unused_scope:
            came_from = (
                " (the identity comes from %s; a project from %s, below it, is not used: a project goes with its "
                "identity)" % (self.sources["identity"], self.unused_scope)
            )
        given = dict((kind, [name for name in names if self.options[name]]) for kind, names in CREDENTIAL_KINDS)
        if given["token"] and given["AK/SK"]:
            # A token and AK/SK are two identities: which one was meant cannot be guessed.
            return [
                "the identity has both a token (%s) and AK/SK (%s); give one of them%s"
                % (", ".join(given["token"]), ", ".join(given["AK/SK"]), came_from)
            ]
        problems = [problem + came_from for problem in credential.problems()]
        if credential.kind != "password" and not scoped:
            if not self.auth_url():
                problems.append("auth_url or region is required to ask IAM which projects the credential reaches")
        elif credential.kind != "password":
            name = "token" if credential.kind == "token" else "AK/SK"
            if not self.options["project_id"]:
                problems.append(
                    "project_id is required with %s authentication (project_name needs a password login)%s"
                    % (name, came_from if self.unused_scope else "")
                )
            if not self.endpoint(service, own_service=service):
                problems.append(
                    "endpoint, endpoints.%s or region is required with %s authentication (there is no token catalog "
                    "to find the service in)" % (service, name)
                )
        return problems

    def scope_problem(self, token_project):
        """A message when the project a password token was issued for is not the one project_name names, else None.

        The login is scoped by project_id when both are given; project_name must then name the same project.
        """
        wanted = self.options["project_name"]
        if not (wanted and self.options["project_id"]) or (token_project or {}).get("name") == wanted:
            return None
        return (
            "project_name %s and project_id %s (the scope comes from %s) are different projects: the token for %s "
            "is for project %s; set one of them"
            % (
                shown(wanted),
                shown(self.options["project_id"]),
                self.sources["scope"],
                self.options["project_id"],
                shown((token_project or {}).get("name")),
            )
        )


def connect(connection, service="cbr", pool_size=10, checked=False):
    """A CbrClient for one project and one service ("cbr" or "vbs"), logging in first with a password.

    `connection` is a Connection, or task options to resolve() with the process environment. Raises
    CbrConfigError when the options cannot work, before anything is sent; checked=True when the caller already
    checked connection.problems(service) (the lifecycle of _lifecycle.py does, once).
    """
    if not isinstance(connection, Connection):
        connection, checked = resolve(connection), False
    problems = [] if checked else connection.problems(service)
    if problems:
        raise CbrConfigError("; ".join(problems))
    options = connection.options
    session = ApiSession(
        validate_certs=options["validate_certs"],
        ca_cert=options["ca_cert"],
        timeout=options.get("timeout") or 30,
        pool_size=pool_size,
        rate_limit=options.get("rate_limit"),
    )
    credential = session.auth = connection.credential()
    session.share_pace(pace_key(connection, credential, service))
    project_id, catalog = options["project_id"], None
    if credential.kind == "password":
        token_body = credential.login(session)
        problem = connection.scope_problem(token_body.get("project"))
        if problem:
            raise CbrConfigError(problem)
        session.relogin = lambda: credential.login(session)
        project_id = (token_body.get("project") or {}).get("id") or project_id
        catalog = token_body.get("catalog")
    endpoint = connection.endpoint(service, own_service=service, catalog=catalog)
    if not endpoint:
        raise CbrConfigError(
            "the token catalog has no public %s endpoint; set endpoint, endpoints.%s or region" % (service, service)
        )
    problem = url_problem("the %s endpoint of the token catalog" % service, endpoint)
    if problem:
        raise CbrConfigError(problem)
    warning = connection.unconfirmed_preset_warning(service, catalog)
    if warning:
        connection.warnings.append(warning)
    return CLIENTS[service](session, service_root(endpoint), project_id, API_VERSIONS[service])


def pace_key(connection, credential, service="cbr"):
    """Whose pace a session keeps with the other processes of the controller: the identity at the host it calls
    first (the service, else IAM), so that one identity on two clouds (or emulators) keeps two paces."""
    where = connection.endpoint(service, own_service=service) or connection.auth_url() or ""
    return "%s at %s" % (credential.pace_identity, urlsplit(where).netloc)


def token_options(connection, client, service="cbr"):
    """Options for module_defaults of the action group that reuse the token of `client`'s password login.

    `service` is the one `client` was connected to: `endpoint` applies to it only.
    The token, its project, the region, and the endpoint of every service (never one endpoint for all), so that
    each module of the group reaches its own service without logging in.
    """
    catalog = client.session.auth.token_body.get("catalog")
    endpoints = {}
    for each in SERVICE_TYPES:
        endpoint = connection.endpoint(each, own_service=service, catalog=catalog)
        if endpoint:
            endpoints[each] = service_root(endpoint)
    options = connection.options
    return dict(
        token=client.session.auth.token,
        project_id=client.project_id,
        # The IAM the token came from, for the calls that need IAM again (the audit's project names).
        auth_url=client.session.auth.auth_url,
        region=options["region"],
        endpoints=endpoints,
        validate_certs=options["validate_certs"],
        ca_cert=options["ca_cert"],
        timeout=options.get("timeout"),
    )
