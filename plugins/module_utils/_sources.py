# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a task's connection options come from: the option spec, the environment families, clouds.yaml.

levels() lists every level a task's connection can come from (the task's options, then `cloud:`, then the
environment families), and merge() takes each group of options whole from one level, never a scope from below the
identity's level.

Private to this collection: the interface may change without notice.
"""

import os
import traceback

from ansible_collections.cloudops.cbr.plugins.module_utils._endpoints import SERVICE_TYPES, endpoint_override_names
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError

# Declared once here, documented once in plugins/doc_fragments/auth.py. No option has a default or an environment
# fallback: Ansible would merge those option by option, and resolve() takes groups whole instead.
AUTH_ARGUMENT_SPEC = dict(
    cloud=dict(type="str"),
    auth_url=dict(type="str"),
    username=dict(type="str"),
    password=dict(type="str", no_log=True),
    domain_name=dict(type="str"),
    domain_id=dict(type="str"),
    project_id=dict(type="str"),
    project_name=dict(type="str"),
    # The aliases are openstack.cloud's (openstacksdk's) names for the same settings.
    region=dict(type="str", aliases=["region_name"]),
    token=dict(type="str", no_log=True),
    access_key=dict(type="str", no_log=False),
    secret_key=dict(type="str", no_log=True),
    security_token=dict(type="str", no_log=True),
    endpoint=dict(type="str"),
    endpoints=dict(type="dict"),
    validate_certs=dict(type="bool", aliases=["verify"]),
    ca_cert=dict(type="path", aliases=["cacert"]),
    timeout=dict(type="float", default=30, aliases=["api_timeout"]),
    rate_limit=dict(type="float"),
)

# Every name an auth option may be given by: the options and their aliases.
AUTH_OPTION_NAMES = frozenset(
    list(AUTH_ARGUMENT_SPEC) + [alias for spec in AUTH_ARGUMENT_SPEC.values() for alias in spec.get("aliases", ())]
)

# Each group is taken whole from the highest level that sets any option of it.
IDENTITY = (
    "username",
    "password",
    "domain_name",
    "domain_id",
    "token",
    "access_key",
    "secret_key",
    "security_token",
)
SCOPE = ("project_id", "project_name")
LOCATION = ("auth_url", "region", "endpoint", "endpoints", "ca_cert", "validate_certs")
GROUPS = (("identity", IDENTITY), ("scope", SCOPE), ("location", LOCATION))
SECRET_OPTIONS = ("password", "token", "secret_key", "security_token")
# The credentials an identity may be, each with the options that give it away (clouds.yaml auth_type selects one).
CREDENTIAL_KINDS = (
    ("token", ("token",)),
    ("AK/SK", ("access_key", "secret_key", "security_token")),
    ("password", ("username", "password")),
)

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
            domain_id=("OS_USER_DOMAIN_ID", "OS_DOMAIN_ID", "OS_PROJECT_DOMAIN_ID"),
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
                "endpoints." + service: tuple("OS_" + name.upper() for name in endpoint_override_names(service))
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
            domain_id=("HW_DOMAIN_ID",),
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


def levels(params, environ, warnings=None):
    """(source, options) of every level that may give connection options, highest first. Reads clouds.yaml.

    What the cloud has that is not read is added to `warnings` (a list), when one is given.
    """
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
        unread = cloud_unread_keys(entry)
        if unread and warnings is not None:
            warnings.append(
                "cloud %r: %s not read by cloudops.cbr and ignored (see the cloud option for what it reads)"
                % (cloud, ", ".join(unread) + (" is" if len(unread) == 1 else " are"))
            )
    found.extend(_environment_level(family, names, environ) for family, names in ENVIRONMENT_FAMILIES)
    return found


def _first_setting(found, names):
    """The index of the first level that sets any of `names`, or None."""
    return next((i for i, (_source, values) in enumerate(found) if any(values.get(n) is not None for n in names)), None)


def merge(found):
    """Each group whole from one level: (options, {group: source}, the source of a scope left unused, or None).

    The identity and the location come from the first level that sets any option of them. The scope comes from the
    first level that sets it at or above the identity's level: a task may point an identity from below at another
    project, but never borrows a project from below its own identity (that project belongs to another identity).
    """
    options, sources, unused_scope = {}, {}, None
    identity_level = _first_setting(found, IDENTITY)
    for group, names in GROUPS:
        options.update((name, None) for name in names)
        level = _first_setting(found, names)
        if group == "scope" and level is not None and identity_level is not None and level > identity_level:
            unused_scope, level = found[level][0], None
        sources[group] = found[level][0] if level is not None else None
        if level is not None:
            options.update((name, found[level][1].get(name)) for name in names)
    return options, sources, unused_scope


# -- clouds.yaml (the openstacksdk convention)

CLOUD_CONFIG_DIRS = (".", "~/.config/openstack", "/etc/openstack")

# clouds.yaml key (under the cloud's auth) -> module option; the first one present wins. openstacksdk's names, and
# tenant_* (its older names for project_*).
_CLOUD_AUTH_KEYS = (
    ("auth_url", "auth_url"),
    ("username", "username"),
    ("password", "password"),
    ("user_domain_name", "domain_name"),
    ("domain_name", "domain_name"),
    ("project_domain_name", "domain_name"),
    ("user_domain_id", "domain_id"),
    ("domain_id", "domain_id"),
    ("project_domain_id", "domain_id"),
    ("project_id", "project_id"),
    ("tenant_id", "project_id"),
    ("project_name", "project_name"),
    ("tenant_name", "project_name"),
    ("token", "token"),
    ("ak", "access_key"),
    ("access_key", "access_key"),
    ("sk", "secret_key"),
    ("secret_key", "secret_key"),
    ("security_token", "security_token"),
)
_CLOUD_TOP_KEYS = (("region_name", "region"), ("verify", "validate_certs"), ("cacert", "ca_cert"))
# Where otcextensions reads AK/SK (its get_ak_sk(): top level of the cloud, access_key or ak, secret_key or sk,
# security_token or token). Taken only when the cloud's auth names no identity: next to a password they are the AK/SK
# otcextensions signs OBS requests with, and the password stays the identity.
_CLOUD_TOP_AKSK_KEYS = (
    ("access_key", "access_key"),
    ("ak", "access_key"),
    ("secret_key", "secret_key"),
    ("sk", "secret_key"),
    ("security_token", "security_token"),
    ("token", "security_token"),
)
# Vendor profiles (`profile:`) -> their regions, the first the default. otc and otc-swiss are openstacksdk's vendor
# profiles (openstack/config/vendors); huaweicloud is this collection's name for Huawei Cloud (any region, no
# default). A profile gives the region; IAM and every service are then at the region's presets (_endpoints.py).
PROFILES = {"otc": ("eu-de", "eu-nl"), "otc-swiss": ("eu-ch2",), "huaweicloud": ()}
# openstacksdk settings that mean nothing to this collection's calls: ignored without a warning.
_CLOUD_IGNORED_KEYS = frozenset(
    (
        "interface",
        "identity_interface",
        "identity_api_version",
        "image_api_version",
        "image_format",
        "volume_api_version",
        "compute_api_version",
        "network_api_version",
        "block_storage_api_version",
        "api_timeout",
        "vendor_hook",
    )
)
_CLOUD_READ_KEYS = frozenset(
    ["auth", "auth_type", "profile", "regions"]
    + [key for key, _option in _CLOUD_TOP_KEYS + _CLOUD_TOP_AKSK_KEYS]
    + [name for service in SERVICE_TYPES for name in endpoint_override_names(service)]
)


def _deep_merge(base, extra):
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _import_yaml():
    """PyYAML, imported only when a clouds.yaml is read: a module run pays no import it does not use (a module's
    code is compiled afresh on every run)."""
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise CbrMissingLibrary("PyYAML", "to read clouds.yaml (the cloud option)", traceback.format_exc()) from None
    return yaml


def _first_yaml(yaml, name, dirs, first=None):
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
    yaml = _import_yaml()
    try:
        path, config = _first_yaml(yaml, "clouds.yaml", dirs, config_file)
        secure_path, secure = _first_yaml(yaml, "secure.yaml", dirs, secure_file)
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


# clouds.yaml auth_type -> the credential kind it selects (CREDENTIAL_KINDS); the cloud's other credentials are not
# used. openstacksdk's names, and `aksk` as OTC users write it.
CLOUD_AUTH_TYPES = {
    "password": "password",
    "v3password": "password",
    "token": "token",
    "v3token": "token",
    "aksk": "AK/SK",
}


def _cloud_credential_kind(entry):
    """The credential kind a cloud's auth_type selects, or None without auth_type (every credential it has is kept,
    and validated like any other level's)."""
    auth_type = entry.get("auth_type")
    if auth_type is None:
        return None
    if auth_type not in CLOUD_AUTH_TYPES:
        raise CbrConfigError(
            "cloud: auth_type %r is not one this collection can use (%s)" % (auth_type, ", ".join(CLOUD_AUTH_TYPES))
        )
    return CLOUD_AUTH_TYPES[auth_type]


def cloud_region(entry):
    """The region of a cloud: region_name, else the first of its `regions`, else the default of its `profile`.

    Raises CbrConfigError for an unknown profile, a profile without a default region and no region_name, or a
    region that is not among the cloud's or the profile's regions (openstacksdk refuses those too).
    """
    profile = entry.get("profile")
    if profile is not None and profile not in PROFILES:
        raise CbrConfigError(
            "cloud: profile %r is not one cloudops.cbr knows (%s); set auth.auth_url and region_name instead"
            % (profile, ", ".join(sorted(PROFILES)))
        )
    regions = [r.get("name") if isinstance(r, dict) else r for r in entry.get("regions") or []]
    known = regions or list(PROFILES.get(profile, ()))
    region = entry.get("region_name")
    if region is None:
        if profile is not None and not known:
            raise CbrConfigError("cloud: profile %r has no default region; set region_name" % profile)
        return known[0] if known else None
    if known and str(region) not in known:
        raise CbrConfigError(
            "cloud: region_name %r is not a region of %s (%s)"
            % (region, "the cloud" if regions else "profile %r" % profile, ", ".join(known))
        )
    return region


def cloud_options(entry):
    """Module options from one clouds.yaml cloud entry (as strings, the way Ansible would take them).

    Only the credential its auth_type selects is taken (see _cloud_credential_kind).
    """
    options = {}
    auth = entry.get("auth") or {}
    for key, option in _CLOUD_AUTH_KEYS:
        if auth.get(key) is not None and option not in options:
            options[option] = str(auth[key])
    if not any(options.get(name) for name in ("username", "password", "token", "access_key", "secret_key")):
        for key, option in _CLOUD_TOP_AKSK_KEYS:
            if entry.get(key) is not None and option not in options:
                options[option] = str(entry[key])
    for key, option in _CLOUD_TOP_KEYS:
        if entry.get(key) is not None:
            value = entry[key]
            options[option] = value if isinstance(value, bool) else str(value)
    region = cloud_region(entry)
    if region is not None:
        options["region"] = str(region)
    if isinstance(options.get("validate_certs"), str):
        # openstacksdk also accepts a CA bundle path as `verify`.
        options.setdefault("ca_cert", options["validate_certs"])
        options["validate_certs"] = True
    for service in SERVICE_TYPES:
        url = next((entry[key] for key in endpoint_override_names(service) if entry.get(key)), None)
        if url:
            options.setdefault("endpoints", {})[service] = url
    kind = _cloud_credential_kind(entry)
    for other, names in CREDENTIAL_KINDS:
        if kind is not None and other != kind:
            for name in names:
                options.pop(name, None)
    return options


def cloud_unread_keys(entry):
    """The keys of a cloud entry (auth.<key> for those under auth) that are neither read nor known to be moot."""
    auth_keys = set(key for key, _option in _CLOUD_AUTH_KEYS)
    unread = [key for key in entry if key not in _CLOUD_READ_KEYS and key not in _CLOUD_IGNORED_KEYS]
    unread += ["auth." + key for key in (entry.get("auth") or {}) if key not in auth_keys]
    return sorted(unread)
