# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the services are: service types in a token catalog, the public endpoints per region, URL checks.

Private to this collection: the interface may change without notice.
"""

import re
from urllib.parse import urlsplit

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import shown

# Service -> its types in a token catalog, first preferred (docs/api_notes.md §iam.catalog).
SERVICE_TYPES = {"cbr": ("cbr",), "vbs": ("vbsv2", "vbs", "volume-backup")}
API_VERSIONS = {"cbr": "v3", "vbs": "v2"}
# IAM as well, for the IAM endpoint of each region of an estate.
CATALOG_TYPES = dict(SERVICE_TYPES, iam=("identity",))


def endpoint_override_names(service):
    """openstacksdk's per-service names: OS_<SERVICE_TYPE>_ENDPOINT_OVERRIDE, '-' written '_'."""
    types = (service,) + tuple(t for t in SERVICE_TYPES[service] if t != service)
    return tuple("%s_endpoint_override" % t.replace("-", "_") for t in types)


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


# Hosts that differ from SERVICE.REGION.DOMAIN, each with its source (docs/api_notes.md §endpoints).
_PRESET_HOSTS = {
    # OTC: "For Swiss OTC, use this IAM endpoint" (iam.eu-ch2.sc... appears in no source).
    ("iam", "eu-ch2"): "iam-pub.eu-ch2.sc.otc.t-systems.com",
    # Huawei Cloud Europe: IAM stays on .eu; CBR is on .com in every SDK since 3.1.150 (so it takes the default).
    ("iam", "eu-west-101"): "iam.eu-west-101.myhuaweicloud.eu",
    # terraform-provider-huaweicloud getCloudDomain(): regions eu-west-1xx use myhuaweicloud.eu.
    ("vbs", "eu-west-101"): "vbs.eu-west-101.myhuaweicloud.eu",
}
# Presets that follow the region's pattern but appear in no source (docs/api_notes.md §endpoints): a task that
# falls back to one is warned, and an endpoint option or a token catalog (a password login) silences it.
UNCONFIRMED_PRESETS = {("cbr", "eu-ch2"), ("vbs", "eu-ch2")}
# Open Telekom Cloud regions; every other region is Huawei Cloud's myhuaweicloud.com.
_REGION_DOMAINS = {"eu-de": "otc.t-systems.com", "eu-nl": "otc.t-systems.com", "eu-ch2": "sc.otc.t-systems.com"}


def preset_endpoint(service, region):
    """The public endpoint of a service ("iam", "cbr", "vbs") in a region, e.g. https://cbr.eu-de.otc.t-systems.com."""
    host = _PRESET_HOSTS.get((service, region))
    if not host:
        host = "%s.%s.%s" % (service, region, _REGION_DOMAINS.get(region, "myhuaweicloud.com"))
    return "https://" + host


def catalog_endpoint(catalog, service, region=None):
    """The public URL of a service ("cbr", "vbs", "iam") in the token's catalog (for the region, if one is given),
    or None."""
    for kind in CATALOG_TYPES[service]:
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
