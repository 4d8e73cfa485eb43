# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options and their one resolver.

resolve() merges the levels a task's connection can come from (the task's options, then `cloud:`, then the
environment families), taking each group of options whole from one level. The result is then validated whatever
the source of each value, and connect() turns it into a client for one service.

Private to this collection: the interface may change without notice.
"""

import os
import re
import traceback
from urllib.parse import urlsplit

from ansible_collections.cloudops.cbr.plugins.module_utils._api import CLIENTS
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, shown
from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import AkSkAuth, PasswordAuth, TokenAuth
from ansible_collections.cloudops.cbr.plugins.module_utils._http import ApiSession, CbrConfigError

YAML_IMPORT_ERROR = None
try:
    import yaml
except ImportError:
    yaml = None
    YAML_IMPORT_ERROR = traceback.format_exc()

# Declared once here, documented once in plugins/doc_fragments/auth.py. No option has a default or an environment
# fallback: Ansible would merge those option by option, and resolve() takes groups whole instead.
AUTH_ARGUMENT_SPEC = dict(
    cloud=dict(type="str"),
    auth_url=dict(type="str"),
    username=dict(type="str"),
    password=dict(type="str", no_log=True),
    domain_name=dict(type="str"),
    project_id=dict(type="str"),
    project_name=dict(type="str"),
    region=dict(type="str"),
    token=dict(type="str", no_log=True),
    access_key=dict(type="str", no_log=False),
    secret_key=dict(type="str", no_log=True),
    security_token=dict(type="str", no_log=True),
    endpoint=dict(type="str"),
    endpoints=dict(type="dict"),
    validate_certs=dict(type="bool"),
    ca_cert=dict(type="path"),
    timeout=dict(type="float", default=30),
    rate_limit=dict(type="float"),
)

# Each group is taken whole from the highest level that sets any option of it.
IDENTITY = ("username", "password", "domain_name", "token", "access_key", "secret_key", "security_token")
SCOPE = ("project_id", "project_name")
LOCATION = ("auth_url", "region", "endpoint", "endpoints", "ca_cert", "validate_certs")
GROUPS = (("identity", IDENTITY), ("scope", SCOPE), ("location", LOCATION))
SECRET_OPTIONS = ("password", "token", "secret_key", "security_token")

# Service -> its types in a token catalog, first preferred (CONTRACT.md 7, 13.4).
SERVICE_TYPES = {"cbr": ("cbr",), "vbs": ("vbsv2", "vbs", "volume-backup")}
API_VERSIONS = {"cbr": "v3", "vbs": "v2"}


def _endpoint_override_names(service):
    """openstacksdk's per-service names: OS_<SERVICE_TYPE>_ENDPOINT_OVERRIDE, '-' written '_'."""
    types = (service,) + tuple(t for t in SERVICE_TYPES[service] if t != service)
    return tuple("%s_endpoint_override" % t.replace("-", "_") for t in types)


# Environment families, highest first; in each, option -> variables (the first one set and not empty wins).
# OpenStack's own names (openstacksdk); Terraform huaweicloud provider (huaweicloud/provider.go);
# the Huawei Cloud SDK (huaweicloudsdkcore auth/provider.py).
ENVIRONMENT_FAMILIES = (
    (
        "OS_*",
        dict(
            username=("OS_USERNAME",),
            password=("OS_PASSWORD",),
            domain_name=("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME"),
            token=("OS_TOKEN",),
            access_key=("OS_ACCESS_KEY",),
            secret_key=("OS_SECRET_KEY",),
            security_token=("OS_SECURITY_TOKEN",),
            project_id=("OS_PROJECT_ID",),
            project_name=("OS_PROJECT_NAME",),
            auth_url=("OS_AUTH_URL",),
            region=("OS_REGION_NAME",),
            ca_cert=("OS_CACERT",),
            **{
                "endpoints." + service: tuple("OS_" + name.upper() for name in _endpoint_override_names(service))
                for service in SERVICE_TYPES
            },
        ),
    ),
    (
        "HW_*",
        dict(
            username=("HW_USER_NAME",),
            password=("HW_USER_PASSWORD",),
            domain_name=("HW_DOMAIN_NAME",),
            token=("HW_AUTH_TOKEN",),
            access_key=("HW_ACCESS_KEY",),
            secret_key=("HW_SECRET_KEY",),
            security_token=("HW_SECURITY_TOKEN",),
            project_id=("HW_PROJECT_ID",),
            project_name=("HW_PROJECT_NAME",),
            auth_url=("HW_AUTH_URL",),
            region=("HW_REGION_NAME",),
        ),
    ),
    (
        "HUAWEICLOUD_SDK_*",
        dict(
            access_key=("HUAWEICLOUD_SDK_AK",),
            secret_key=("HUAWEICLOUD_SDK_SK",),
            security_token=("HUAWEICLOUD_SDK_SECURITY_TOKEN",),
            project_id=("HUAWEICLOUD_SDK_PROJECT_ID",),
            auth_url=("HUAWEICLOUD_SDK_IAM_ENDPOINT",),
        ),
    ),
)


def _variables_by_option():
    found = {}
    for _family, names in ENVIRONMENT_FAMILIES:
        for option, variables in names.items():
            found[option] = found.get(option, ()) + variables
    return found


# Option (or "endpoints.<service>") -> every variable that may give it, in the order they are read.
ENVIRONMENT_VARIABLES = _variables_by_option()
# openstacksdk: the cloud to use, and files searched before the usual places.
CLOUD_VARIABLE, CLOUD_FILE_VARIABLE, SECURE_FILE_VARIABLE = "OS_CLOUD", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE"


class CbrMissingLibrary(CbrConfigError):
    """A Python library that an option needs is not installed (the base class reports missing_required_lib)."""

    def __init__(self, library, reason, import_traceback):
        self.library = library
        self.reason = reason
        self.import_traceback = import_traceback
        super().__init__("%s is needed %s" % (library, reason))


# -- the levels


def _environment_level(family, names, environ):
    values = {}
    for option, variables in names.items():
        value = next((environ[v] for v in variables if environ.get(v)), None)
        if value is None:
            continue
        if option.startswith("endpoints."):
            values.setdefault("endpoints", {})[option.split(".", 1)[1]] = value
        else:
            values[option] = value
    return "the environment (%s)" % family, values


def levels(params, environ):
    """(source, options) of every level that may give connection options, highest first. Reads clouds.yaml."""
    task = dict((name, params.get(name)) for group in GROUPS for name in group[1] if params.get(name) is not None)
    found = [("the task's options", task)]
    cloud = params.get("cloud") or environ.get(CLOUD_VARIABLE)
    if cloud:
        entry = load_cloud(
            cloud,
            config_file=environ.get(CLOUD_FILE_VARIABLE) or None,
            secure_file=environ.get(SECURE_FILE_VARIABLE) or None,
        )
        found.append(("cloud %r" % cloud, cloud_options(entry)))
    found.extend(_environment_level(family, names, environ) for family, names in ENVIRONMENT_FAMILIES)
    return found


def merge(found):
    """Each group whole from the first level that sets any option of it: (options, {group: source})."""
    options, sources = {}, {}
    for group, names in GROUPS:
        sources[group] = None
        options.update((name, None) for name in names)
        for source, values in found:
            if any(values.get(name) is not None for name in names):
                options.update((name, values.get(name)) for name in names)
                sources[group] = source
                break
    return options, sources


def resolve(params, environ=None):
    """The connection of one task, merged from every level (see merge()) and not yet validated. Sends nothing.

    Raises CbrConfigError when `cloud` names no cloud of clouds.yaml, CbrMissingLibrary without PyYAML.
    """
    environ = os.environ if environ is None else environ
    options, sources = merge(levels(params, environ))
    if options["validate_certs"] is None:
        options["validate_certs"] = True
    # The options outside the groups (cloud, timeout, ...) are the task's own.
    options.update((name, params.get(name)) for name in AUTH_ARGUMENT_SPEC if name not in options)
    return Connection(options, sources)


# -- validation and endpoints

_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+$")
_VARIABLE_PART = r"(\$\((tenant|project)_id\)s|%\((tenant|project)_id\)s|\{(tenant|project)_id\}|[0-9a-f]{32})"
_TRAILING_PROJECT_RE = re.compile(r"/%s$" % _VARIABLE_PART)
_TRAILING_VERSION_RE = re.compile(r"/v[0-9]+(\.[0-9]+)?$", re.IGNORECASE)


def url_problem(name, value):
    """A message naming the option when value is not an http(s) URL with a host, else None."""
    try:
        split = urlsplit(value)
        port = split.port  # raises ValueError when it is not a number from 0 to 65535
    except (TypeError, ValueError, AttributeError) as error:
        return "%s must be an http:// or https:// URL, got %s (%s)" % (name, shown(value), error)
    if split.scheme not in ("http", "https") or not split.hostname or port == 0 or re.search(r"\s", value):
        return "%s must be an http:// or https:// URL, got %s" % (name, shown(value))
    if split.query or split.fragment:
        return "%s must not have a query or a fragment, got %s" % (name, shown(value))
    return None


def service_root(url):
    """A service URL without the endpoint template's project part and the API version: the base of /v3/{pid}.

    Strips $(tenant_id)s, %(project_id)s, %(tenant_id)s, {project_id} or a 32-hex project id, then /vN[.M].
    """
    url = _TRAILING_PROJECT_RE.sub("", url.rstrip("/")).rstrip("/")
    return _TRAILING_VERSION_RE.sub("", url).rstrip("/")


# Hosts that differ from SERVICE.REGION.DOMAIN, each with its source (CONTRACT.md 9, 13.4).
_PRESET_HOSTS = {
    # OTC: "For Swiss OTC, use this IAM endpoint" (iam.eu-ch2.sc... appears in no source).
    ("iam", "eu-ch2"): "iam-pub.eu-ch2.sc.otc.t-systems.com",
    # Huawei Cloud Europe: IAM stays on .eu; CBR is on .com in every SDK since 3.1.150 (so it takes the default).
    ("iam", "eu-west-101"): "iam.eu-west-101.myhuaweicloud.eu",
    # terraform-provider-huaweicloud getCloudDomain(): regions eu-west-1xx use myhuaweicloud.eu.
    ("vbs", "eu-west-101"): "vbs.eu-west-101.myhuaweicloud.eu",
}
# Open Telekom Cloud regions; every other region is Huawei Cloud's myhuaweicloud.com.
_REGION_DOMAINS = {"eu-de": "otc.t-systems.com", "eu-nl": "otc.t-systems.com", "eu-ch2": "sc.otc.t-systems.com"}


def preset_endpoint(service, region):
    """The public endpoint of a service ("iam", "cbr", "vbs") in a region, e.g. https://cbr.eu-de.otc.t-systems.com."""
    host = _PRESET_HOSTS.get((service, region))
    if not host:
        host = "%s.%s.%s" % (service, region, _REGION_DOMAINS.get(region, "myhuaweicloud.com"))
    return "https://" + host


def catalog_endpoint(catalog, service, region=None):
    """The public URL of a service in the token's catalog (for the region, if one is given), or None."""
    for kind in SERVICE_TYPES[service]:
        for entry in catalog or []:
            if entry.get("type") != kind:
                continue
            for endpoint in entry.get("endpoints", []):
                if endpoint.get("interface") != "public":
                    continue
                if region and region not in (endpoint.get("region_id"), endpoint.get("region")):
                    continue
                return endpoint.get("url")
    return None


class Connection:
    """The merged connection options of one task, where each group came from, and what they give."""

    def __init__(self, options, sources):
        self.options = options
        self.sources = sources

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

    def credential(self):
        """The credential of the identity group: a token, else AK/SK, else a password; None when there is none."""
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

    def problems(self, service="cbr"):
        """What is wrong with the merged options, whatever their source; each message names the option."""
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
        return problems + self._credential_problems(service)

    def _credential_problems(self, service):
        credential = self.credential()
        if credential is None:
            return [
                "no credentials: set token, or access_key and secret_key, or username, password and domain_name "
                "(in the task, in clouds.yaml through cloud, or in OS_*, HW_* or HUAWEICLOUD_SDK_* variables)"
            ]
        came_from = " (the identity comes from %s)" % self.sources["identity"]
        problems = [problem + came_from for problem in credential.problems()]
        if credential.kind != "password":
            name = "token" if credential.kind == "token" else "AK/SK"
            if not self.options["project_id"]:
                problems.append(
                    "project_id is required with %s authentication (project_name needs a password login)" % name
                )
            if not self.endpoint(service, own_service=service):
                problems.append(
                    "endpoint, endpoints.%s or region is required with %s authentication (there is no token catalog "
                    "to find the service in)" % (service, name)
                )
        return problems


def connect(connection, service="cbr", pool_size=10):
    """A CbrClient for one project and one service ("cbr" or "vbs"), logging in first with a password.

    `connection` is a Connection, or task options to resolve() with the process environment. Raises
    CbrConfigError when the options cannot work, before anything is sent.
    """
    if not isinstance(connection, Connection):
        connection = resolve(connection)
    problems = connection.problems(service)
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
    project_id, catalog = options["project_id"], None
    if credential.kind == "password":
        token_body = credential.login(session)
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
    return CLIENTS[service](session, service_root(endpoint), project_id, API_VERSIONS[service])


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
        region=options["region"],
        endpoints=endpoints,
        validate_certs=options["validate_certs"],
        ca_cert=options["ca_cert"],
        timeout=options.get("timeout"),
    )


# -- clouds.yaml (the openstacksdk convention)

CLOUD_CONFIG_DIRS = (".", "~/.config/openstack", "/etc/openstack")

# clouds.yaml key (under the cloud's auth) -> module option; the first one present wins.
_CLOUD_AUTH_KEYS = (
    ("auth_url", "auth_url"),
    ("username", "username"),
    ("password", "password"),
    ("user_domain_name", "domain_name"),
    ("domain_name", "domain_name"),
    ("project_domain_name", "domain_name"),
    ("project_id", "project_id"),
    ("project_name", "project_name"),
    ("token", "token"),
    ("ak", "access_key"),
    ("access_key", "access_key"),
    ("sk", "secret_key"),
    ("secret_key", "secret_key"),
    ("security_token", "security_token"),
)
_CLOUD_TOP_KEYS = (("region_name", "region"), ("verify", "validate_certs"), ("cacert", "ca_cert"))


def _deep_merge(base, extra):
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _first_yaml(name, dirs, first=None):
    paths = [first] if first else []
    paths += [os.path.join(os.path.expanduser(directory), name) for directory in dirs]
    for path in paths:
        if os.path.isfile(path):
            with open(path) as handle:
                return path, yaml.safe_load(handle) or {}
    return None, {}


def load_cloud(cloud, dirs=CLOUD_CONFIG_DIRS, config_file=None, secure_file=None):
    """The named cloud of clouds.yaml, with secure.yaml merged over it as openstacksdk does.

    config_file (OS_CLIENT_CONFIG_FILE) and secure_file (OS_CLIENT_SECURE_FILE) are looked at before `dirs`.

    Raises CbrConfigError naming the files when the cloud is not there or a file cannot be read.
    """
    if yaml is None:
        raise CbrMissingLibrary("PyYAML", "to read clouds.yaml (the cloud option)", YAML_IMPORT_ERROR)
    try:
        path, config = _first_yaml("clouds.yaml", dirs, config_file)
        secure_path, secure = _first_yaml("secure.yaml", dirs, secure_file)
    except (OSError, yaml.YAMLError) as error:
        raise CbrConfigError("cloud: cannot read clouds.yaml or secure.yaml: %s" % error) from None
    clouds = config.get("clouds") if isinstance(config, dict) else None
    if not isinstance(clouds, dict) or not isinstance(clouds.get(cloud), dict):
        searched = path or ", ".join(os.path.join(d, "clouds.yaml") for d in dirs)
        raise CbrConfigError("cloud: cloud %r is not in %s" % (cloud, searched))
    entry = clouds[cloud]
    secure_clouds = secure.get("clouds") if isinstance(secure, dict) else None
    if secure_path and isinstance(secure_clouds, dict) and isinstance(secure_clouds.get(cloud), dict):
        entry = _deep_merge(entry, secure_clouds[cloud])
    return entry


def cloud_options(entry):
    """Module options from one clouds.yaml cloud entry (as strings, the way Ansible would take them)."""
    options = {}
    auth = entry.get("auth") or {}
    for key, option in _CLOUD_AUTH_KEYS:
        if auth.get(key) is not None and option not in options:
            options[option] = str(auth[key])
    for key, option in _CLOUD_TOP_KEYS:
        if entry.get(key) is not None:
            value = entry[key]
            options[option] = value if isinstance(value, bool) else str(value)
    if isinstance(options.get("validate_certs"), str):
        # openstacksdk also accepts a CA bundle path as `verify`.
        options.setdefault("ca_cert", options["validate_certs"])
        options["validate_certs"] = True
    for service in SERVICE_TYPES:
        url = next((entry[key] for key in _endpoint_override_names(service) if entry.get(key)), None)
        if url:
            options.setdefault("endpoints", {})[service] = url
    return options
