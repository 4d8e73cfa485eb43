# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options and their one resolver: where each option comes from, what is valid,
which endpoint each service uses, and the login that turns options into a client.

Private to this collection: the interface may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.module_utils.basic import AnsibleFallbackNotFound

from ansible_collections.cloudops.cbr.plugins.module_utils._api import CLIENTS
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, shown
from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import AkSkAuth, TokenAuth, password_auth_body
from ansible_collections.cloudops.cbr.plugins.module_utils._http import ApiSession, CbrApiError, CbrConfigError

# Declared once here, documented once in plugins/doc_fragments/auth.py.


def env_fallback(*names):
    """The first of these environment variables that is set and not empty (an empty one counts as unset)."""
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound


# Environment families, first found wins: OpenStack's OS_*, then Terraform's HW_*, then the Huawei SDK's.
AUTH_ARGUMENT_SPEC = dict(
    cloud=dict(type="str", fallback=(env_fallback, ["OS_CLOUD"])),
    auth_url=dict(type="str", fallback=(env_fallback, ["OS_AUTH_URL", "HUAWEICLOUD_SDK_IAM_ENDPOINT"])),
    username=dict(type="str", fallback=(env_fallback, ["OS_USERNAME"])),
    password=dict(type="str", no_log=True, fallback=(env_fallback, ["OS_PASSWORD"])),
    domain_name=dict(type="str", fallback=(env_fallback, ["OS_USER_DOMAIN_NAME"])),
    project_id=dict(type="str", fallback=(env_fallback, ["OS_PROJECT_ID", "HW_PROJECT_ID",
                                                         "HUAWEICLOUD_SDK_PROJECT_ID"])),
    project_name=dict(type="str", fallback=(env_fallback, ["OS_PROJECT_NAME"])),
    region=dict(type="str", fallback=(env_fallback, ["OS_REGION_NAME", "HW_REGION_NAME"])),
    token=dict(type="str", no_log=True, fallback=(env_fallback, ["OS_TOKEN", "HW_AUTH_TOKEN"])),
    access_key=dict(type="str", no_log=False, fallback=(env_fallback, ["OS_ACCESS_KEY", "HW_ACCESS_KEY",
                                                                       "HUAWEICLOUD_SDK_AK"])),
    secret_key=dict(type="str", no_log=True, fallback=(env_fallback, ["OS_SECRET_KEY", "HW_SECRET_KEY",
                                                                      "HUAWEICLOUD_SDK_SK"])),
    security_token=dict(type="str", no_log=True, fallback=(env_fallback, [
        "OS_SECURITY_TOKEN", "HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"])),
    endpoint=dict(type="str"),
    validate_certs=dict(type="bool"),
    ca_cert=dict(type="path"),
    timeout=dict(type="float", default=30),
)


def connection_problems(params):
    """Problems with the shared connection options that need no request to see."""
    problems = []
    if params.get("project_id") is not None:
        problems.append(project_id_problem("project_id", params["project_id"]))
    for name in ("endpoint", "auth_url"):
        value = params.get(name)
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            problems.append("%s must be an http:// or https:// URL, got %s" % (name, shown(value)))
    if params.get("timeout") is not None and not params["timeout"] > 0:
        problems.append("timeout must be more than 0 seconds, got %s" % params["timeout"])
    return [problem for problem in problems if problem]


SERVICE_TYPES = {"cbr": ("cbr",), "vbs": ("vbsv2", "vbs", "volume-backup")}
API_VERSIONS = {"cbr": "v3", "vbs": "v2"}
# Region -> cloud domain; every other region is Huawei Cloud's myhuaweicloud.com (CONTRACT.md 9).
REGION_DOMAINS = {
    "eu-de": "otc.t-systems.com",
    "eu-nl": "otc.t-systems.com",
    "eu-ch2": "sc.otc.t-systems.com",
    "eu-west-101": "myhuaweicloud.eu",
}
_TRAILING_PROJECT_RE = re.compile(r"/(\$\(tenant_id\)s|\{project_id\}|[0-9a-f]{32})$")
_TRAILING_VERSION_RE = re.compile(r"/v[0-9](\.[0-9])?$")


def preset_endpoint(service, region):
    """The public endpoint of a service in a region, e.g. https://cbr.eu-de.otc.t-systems.com."""
    return "https://%s.%s.%s" % (service, region, REGION_DOMAINS.get(region, "myhuaweicloud.com"))


def service_root(url):
    """A service URL without the trailing project id and API version: the base we add /v3/{pid} to."""
    url = url.rstrip("/")
    url = _TRAILING_PROJECT_RE.sub("", url)
    return _TRAILING_VERSION_RE.sub("", url)


def catalog_endpoint(catalog, service, region=None):
    """The public URL of a service in the token's catalog (for the region, if one is given), or None."""
    for entry in catalog or []:
        if entry.get("type") not in SERVICE_TYPES[service]:
            continue
        for endpoint in entry.get("endpoints", []):
            if endpoint.get("interface") != "public":
                continue
            if region and region not in (endpoint.get("region_id"), endpoint.get("region")):
                continue
            return endpoint.get("url")
    return None


def iam_tokens_url(auth_url):
    base = auth_url.rstrip("/")
    if base.endswith("/auth/tokens"):
        return base
    if not base.endswith("/v3"):
        base += "/v3"
    return base + "/auth/tokens"


def auth_kind(params):
    """Which credentials the options give: 'token', 'aksk' or 'password' (in that order of precedence)."""
    if params.get("token"):
        return "token"
    if params.get("access_key") or params.get("secret_key"):
        if not (params.get("access_key") and params.get("secret_key")):
            raise CbrConfigError("access_key and secret_key must be given together")
        return "aksk"
    if params.get("username") or params.get("password"):
        missing = [name for name in ("username", "password", "domain_name") if not params.get(name)]
        if missing:
            raise CbrConfigError("password authentication needs %s" % ", ".join(missing))
        if not (params.get("auth_url") or params.get("region")):
            raise CbrConfigError("password authentication needs auth_url (or region, for its IAM endpoint)")
        if not (params.get("project_id") or params.get("project_name")):
            raise CbrConfigError("password authentication needs project_id or project_name")
        return "password"
    raise CbrConfigError("no credentials: set token, or access_key and secret_key, or username, password and "
                         "domain_name (or the matching OS_* environment variables)")


def check_connection_options(params):
    """Raise CbrConfigError when the options cannot work, before anything is sent."""
    kind = auth_kind(params)
    if kind != "password":
        if not params.get("project_id"):
            raise CbrConfigError("project_id is required with %s authentication"
                                 % ("token" if kind == "token" else "AK/SK"))
        if not (params.get("endpoint") or params.get("region")):
            raise CbrConfigError("endpoint or region is required with %s authentication (there is no token "
                                 "catalog to find the service in)" % ("token" if kind == "token" else "AK/SK"))
    return kind


def login(session, params):
    """Get an IAM token with the password options; set it as the session's auth and return the token body."""
    auth_url = params.get("auth_url") or preset_endpoint("iam", params["region"]) + "/v3"
    body = password_auth_body(params["username"], params["password"], params["domain_name"],
                              project_id=params.get("project_id"), project_name=params.get("project_name"))
    action = "Failed to get an IAM token for user %s" % params["username"]
    session.auth = None
    response = session.call("POST", iam_tokens_url(auth_url), action, body=body)
    token = response.headers.get("X-Subject-Token")
    if not token:
        raise CbrApiError(action, "the answer has no X-Subject-Token header", status_code=response.status_code)
    token_body = response.json().get("token", {})
    session.auth = TokenAuth(token, token_body.get("expires_at"))
    return token_body


def connect(params, service="cbr", pool_size=10):
    """Check the options, log in if they hold a password, and return a CbrClient for one project.

    The endpoint is the explicit `endpoint`, else the token catalog's, else the region preset.
    """
    kind = check_connection_options(params)
    session = ApiSession(validate_certs=params.get("validate_certs", True), ca_cert=params.get("ca_cert"),
                         timeout=params.get("timeout") or 30, pool_size=pool_size)
    project_id, catalog = params.get("project_id"), None
    if kind == "token":
        session.auth = TokenAuth(params["token"])
    elif kind == "aksk":
        session.auth = AkSkAuth(params["access_key"], params["secret_key"], params.get("security_token"),
                                project_id=project_id)
    else:
        token_body = login(session, params)
        session.relogin = lambda: login(session, params)
        project_id = (token_body.get("project") or {}).get("id") or project_id
        catalog = token_body.get("catalog")
    endpoint = params.get("endpoint") or catalog_endpoint(catalog, service, params.get("region"))
    if not endpoint and params.get("region"):
        endpoint = preset_endpoint(service, params["region"])
    if not endpoint:
        raise CbrConfigError("the token catalog has no public %s endpoint; set endpoint or region" % service)
    return CLIENTS[service](session, service_root(endpoint), project_id, API_VERSIONS[service])


# -- clouds.yaml (the openstacksdk convention)

CLOUD_CONFIG_DIRS = (".", "~/.config/openstack", "/etc/openstack")

# clouds.yaml key (under the cloud, or under its auth) -> module option
_CLOUD_AUTH_KEYS = (
    ("auth_url", "auth_url"), ("username", "username"), ("password", "password"),
    ("user_domain_name", "domain_name"), ("domain_name", "domain_name"),
    ("project_id", "project_id"), ("project_name", "project_name"), ("token", "token"),
    ("ak", "access_key"), ("access_key", "access_key"), ("sk", "secret_key"), ("secret_key", "secret_key"),
    ("security_token", "security_token"),
)
_CLOUD_TOP_KEYS = (("region_name", "region"), ("verify", "validate_certs"), ("cacert", "ca_cert"))


def _deep_merge(base, extra):
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(
            merged.get(key), dict) else value
    return merged


def _first_yaml(name, dirs, loader):
    for directory in dirs:
        path = os.path.join(os.path.expanduser(directory), name)
        if os.path.isfile(path):
            with open(path) as handle:
                return path, loader(handle) or {}
    return None, {}


def load_cloud(cloud, dirs=CLOUD_CONFIG_DIRS, config_file=None):
    """The named cloud of clouds.yaml, with secure.yaml merged over it as openstacksdk does.

    Raises ValueError with a message naming the files when the cloud is not there.
    """
    import yaml  # Only needed with `cloud`; PyYAML comes with ansible-core.

    if config_file:
        with open(config_file) as handle:
            path, config = config_file, yaml.safe_load(handle) or {}
    else:
        path, config = _first_yaml("clouds.yaml", dirs, yaml.safe_load)
    secure_path, secure = _first_yaml("secure.yaml", dirs, yaml.safe_load)
    clouds = config.get("clouds") or {}
    if cloud not in clouds:
        searched = path or ", ".join(os.path.join(d, "clouds.yaml") for d in dirs)
        raise ValueError("cloud %r is not in %s" % (cloud, searched))
    entry = clouds[cloud]
    if secure_path and cloud in (secure.get("clouds") or {}):
        entry = _deep_merge(entry, secure["clouds"][cloud])
    return entry


def cloud_options(entry):
    """Module options from one clouds.yaml cloud entry."""
    options = {}
    auth = entry.get("auth") or {}
    for key, option in _CLOUD_AUTH_KEYS:
        if auth.get(key) is not None and option not in options:
            options[option] = auth[key]
    for key, option in _CLOUD_TOP_KEYS:
        if entry.get(key) is not None:
            options[option] = entry[key]
    if isinstance(options.get("validate_certs"), str):
        # openstacksdk also accepts a CA bundle path as `verify`.
        options.setdefault("ca_cert", options["validate_certs"])
        options["validate_certs"] = True
    return options
