# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An identity's estate: the projects it reaches (IAM), its account, and where each region's services are.

Used by the cloudops.cbr.cbr_projects inventory plugin. Nothing here returns a secret: projects, the account and
endpoints only.

Private to this collection: the interface may change without notice.
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._api import IamClient
from ansible_collections.cloudops.cbr.plugins.module_utils._connection import Connection, pace_key
from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import iam_url
from ansible_collections.cloudops.cbr.plugins.module_utils._endpoints import (
    SERVICE_TYPES,
    catalog_endpoint,
    service_root,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError
from ansible_collections.cloudops.cbr.plugins.module_utils._http import ApiSession

# A URL option may name each project's region with this placeholder: one option for every region's address.
REGION_PLACEHOLDER = "{region}"


def project_region(name):
    """A project's region: its name up to the first '_' (eu-de, eu-de_dr; docs/api_notes.md §iam.projects)."""
    return name.split("_", 1)[0]


def in_region(url, region):
    """The URL with {region} filled in (a URL without it as it is)."""
    return url.replace(REGION_PLACEHOLDER, region) if url and REGION_PLACEHOLDER in url else url


def reachable(connection):
    """What the connection's identity reaches: {"domain": {"id", "name"}, "projects": [...], "catalog": ...}.

    A password logs in scoped to the project it names, else to its domain; a token or an AK/SK asks IAM as itself
    (docs/api_notes.md §iam.projects, §iam.scopes). Each project: id, name, region, domain_id, parent_id, enabled.
    Raises CbrConfigError for options that cannot work (before any request), CbrApiError when IAM refuses or fails.
    """
    options = connection.options
    if REGION_PLACEHOLDER in (options["auth_url"] or "") and not options["region"]:
        raise CbrConfigError("auth_url names {region}: set region, the region whose IAM lists the projects")
    listing = Connection(dict(options, auth_url=in_region(options["auth_url"], options["region"])), connection.sources)
    problems = listing.problems(scoped=False)
    if problems:
        raise CbrConfigError("; ".join(problems))
    session = ApiSession(
        validate_certs=options["validate_certs"],
        ca_cert=options["ca_cert"],
        timeout=options.get("timeout") or 30,
        rate_limit=options.get("rate_limit"),
    )
    credential = session.auth = listing.credential(scoped=False)
    session.share_pace(pace_key(listing, credential))
    # A token goes only to the IAM the user named: the one that issued it is unknown (docs/api_notes.md §iam.catalog).
    iam_address = listing.iam_url(credential) if credential.kind == "token" else listing.auth_url()
    if not iam_address:
        raise CbrConfigError("auth_url is required with a token: the token is sent to no IAM but the one named")
    iam = IamClient(session, iam_address)
    catalog, domain = None, None
    if credential.kind == "password":
        body = credential.login(session)
        catalog = body.get("catalog")
        domain = (body.get("project") or {}).get("domain") or body.get("domain")
    listed = iam.list_auth_projects()
    if domain is None:
        domain = (iam.list_auth_domains() or [{}])[0]
    projects = [
        dict(
            id=project["id"],
            name=project["name"],
            region=project_region(project["name"]),
            domain_id=project.get("domain_id"),
            parent_id=project.get("parent_id"),
            enabled=project.get("enabled", True),
        )
        for project in listed
    ]
    return {"domain": {"id": domain.get("id"), "name": domain.get("name")}, "projects": projects, "catalog": catalog}


def location(connection, region, catalog=None):
    """A region's IAM endpoint (auth_url, None when unknown) and service endpoints (endpoints: those known): an
    option that names {region}, else the token's catalog for the region, else the option as given. Nothing is
    made up: a module without them finds its region's endpoints itself (its login's catalog, the presets)."""

    def choose(given, service):
        if given and REGION_PLACEHOLDER in given:
            return in_region(given, region)
        return catalog_endpoint(catalog, service, region) or given

    options = connection.options
    auth_url = choose(options["auth_url"], "iam")
    endpoints = {}
    for service in SERVICE_TYPES:
        found = choose(
            (options["endpoints"] or {}).get(service) or (options["endpoint"] if service == "cbr" else None), service
        )
        if found:
            endpoints[service] = service_root(found)
    return {
        "auth_url": iam_url(auth_url) if auth_url else None,
        "endpoints": endpoints,
    }
