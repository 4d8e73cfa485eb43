# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: cbr_projects
short_description: The projects a credential can reach, one host each
version_added: 1.1.0
description:
  - One host per project that the credential's IAM user can reach (IAM C(GET /v3/auth/projects)), in every region,
    so that playbooks, forks and AWX job slicing spread the work of an estate over its projects.
  - The credential comes from the same options and sources as the modules' (the options below, O(cloud) and
    C(clouds.yaml), the E(OS_*), E(HW_*) and E(HUAWEICLOUD_SDK_*) environment variables), each group whole from
    one level. A password logs in scoped to O(project_id) or O(project_name) if one is set, else to its account
    (domain); a token or an AK/SK asks IAM with itself. A token is sent only to O(auth_url), which it then
    requires (the IAM that issued it is unknown, and no other host gets it).
  - Each host runs on the controller (C(ansible_connection=local), the controller's Python) and says in its host
    variables what the modules need to act in its project (see the notes). No secret is ever put into a host
    variable or the cache; a play gives the modules their identity the way it gives it to any task.
  - Every host is in the group of its region (V(region_eu_de), V(region_eu_nl), ...) and of its account
    (V(domain_acme)), and in any group that O(groups) and O(keyed_groups) make.
  - The configuration file's name must end with C(cbr_projects.yml) or C(cbr_projects.yaml).
author:
  - cloudops.cbr maintainers (@cloudops)
requirements:
  - python >= 3.9
  - requests
  - PyYAML (for O(cloud))
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - cloudops.cbr.auth
options:
  plugin:
    description: The name of this plugin; this makes the file a configuration of it.
    required: true
    type: str
    choices: [cloudops.cbr.cbr_projects]
  regions:
    description:
      - Only the projects of these regions, for example V(eu-de). Each region must have at least one project the
        credential reaches, otherwise the inventory fails (a typo never turns into an empty estate).
      - Empty (the default) for every region.
    type: list
    elements: str
    default: []
  project_names:
    description:
      - Only the projects whose name matches one of these shell-style patterns, for example V(eu-de_*) or
        V(*_prod). Each pattern must match at least one project (after O(regions)), otherwise the inventory fails.
      - Empty (the default) for every project.
    type: list
    elements: str
    default: []
  exclude_project_names:
    description:
      - Leave out the projects whose name matches one of these shell-style patterns. Each pattern must match at
        least one project, otherwise the inventory fails (a typo would otherwise leave in what was meant to be left
        out).
    type: list
    elements: str
    default: []
  hostname:
    description:
      - How hosts are named. V(name) is the project name (V(eu-de_prod)); V(domain_and_name) puts the account's name
        first (V(acme.eu-de_prod)), for inventories that hold several accounts, whose project names repeat;
        V(id) is the project id.
      - A host that another inventory source already added for another project fails the inventory rather than
        merging two projects into one host.
    type: str
    choices: [name, domain_and_name, id]
    default: name
notes:
  - "Host variables: C(cbr_project_id), C(cbr_project_name), C(cbr_region), C(cbr_domain_id), C(cbr_domain_name),
    C(cbr_auth_url) (the IAM endpoint of the project's region, for a password login), C(cbr_endpoints) (C(cbr) and
    C(vbs), the project's region), C(ansible_connection) (V(local)) and C(ansible_python_interpreter) (the
    controller's)."
  - "Where each region's addresses come from: O(auth_url), O(endpoint) and O(endpoints) may contain the placeholder
    V({region}) (for example V(https://cbr.{region}.example.com)), which each host gets filled in with its region;
    otherwise the token's catalog (a password login) for that region, else the option as given, else the region's
    public endpoint. For the IAM requests of the inventory itself, V({region}) is O(region)."
  - A project's region is the part of its name before the first C(_) (V(eu-de_prod) is in V(eu-de)), as IAM names
    projects. Disabled projects are left out.
  - IAM answers C(GET /v3/auth/projects) and C(GET /v3/auth/domains) to a token of the user or an AK/SK; the rate
    limit of the identity counts these requests too.
  - The cache (O(cache)) holds the projects, the account and the endpoints, never a credential; its key includes a
    hash of the identity, so another credential never reads this one's projects.
seealso:
  - module: cloudops.cbr.cbr_auth
  - module: cloudops.cbr.cbr_shared_backup_info
"""

EXAMPLES = r"""
# estate.cbr_projects.yml: every project the credential in OS_* (or clouds.yaml through OS_CLOUD) reaches
plugin: cloudops.cbr.cbr_projects

---
# One account's production projects of eu-de, from a cloud of clouds.yaml, grouped by project kind
plugin: cloudops.cbr.cbr_projects
cloud: acme
regions: [eu-de]
project_names: ["*_prod", "*_dr"]
keyed_groups:
  - key: cbr_project_name.split('_')[-1]
    prefix: kind

---
# Several accounts in one AWX inventory: one source per account, host names that cannot collide
plugin: cloudops.cbr.cbr_projects
hostname: domain_and_name
compose:
  audit_expected_projects: "['0761a1f0e5b34c9b8c2f0f0a7d1e0002']"

---
# A playbook over the inventory: each host acts as its own project with the play's identity
# - hosts: region_eu_de
#   gather_facts: false
#   module_defaults:
#     group/cloudops.cbr.cbr:
#       project_id: "{{ cbr_project_id }}"
#       region: "{{ cbr_region }}"
#       auth_url: "{{ cbr_auth_url }}"
#       endpoints: "{{ cbr_endpoints }}"
#   tasks:
#     - name: Read the project's backups
#       cloudops.cbr.cbr_backup_info:
"""

import fnmatch
import hashlib
import os
import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.template import trust_as_template

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError, CbrConfigError
from ansible_collections.cloudops.cbr.plugins.module_utils._estate import location, reachable
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import AUTH_ARGUMENT_SPEC, IDENTITY


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "cloudops.cbr.cbr_projects"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("cbr_projects.yml", "cbr_projects.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            connection = resolve(dict((name, self.get_option(name)) for name in AUTH_ARGUMENT_SPEC), os.environ)
        except CbrConfigError as error:
            raise AnsibleParserError("cloudops.cbr.cbr_projects: %s" % error) from None
        cache_key = "%s_%s" % (self.get_cache_key(path), identity_hash(connection))
        estate = None
        if cache and self.get_option("cache"):
            estate = self._cache.get(cache_key)
        if estate is None:
            estate = self._read_estate(connection)
            if self.get_option("cache"):
                self._cache[cache_key] = estate
        for host, variables in self._hosts(estate):
            self._add_host(host, variables)

    def _read_estate(self, connection):
        """The projects and the account from IAM, with each region's addresses: what the cache keeps."""
        try:
            found = reachable(connection)
        except (CbrConfigError, CbrApiError) as error:
            raise AnsibleParserError("cloudops.cbr.cbr_projects: %s" % error) from None
        regions = sorted(set(project["region"] for project in found["projects"]))
        return {
            "domain": found["domain"],
            "projects": found["projects"],
            "regions": dict((region, location(connection, region, found["catalog"])) for region in regions),
        }

    def _hosts(self, estate):
        """(host name, host variables) of every chosen project, in IAM's order."""
        projects = [project for project in estate["projects"] if project["enabled"]]
        projects = chosen(projects, self.get_option("regions"), "regions", lambda p, region: p["region"] == region)
        projects = chosen(projects, self.get_option("project_names"), "project_names", name_matches)
        excluded = self.get_option("exclude_project_names")
        left_out = chosen(projects, excluded, "exclude_project_names", name_matches) if excluded else []
        domain = estate["domain"]
        for project in projects:
            if project in left_out:
                continue
            where = estate["regions"][project["region"]]
            variables = {
                "cbr_project_id": project["id"],
                "cbr_project_name": project["name"],
                "cbr_region": project["region"],
                "cbr_domain_id": project["domain_id"] or domain["id"],
                "cbr_domain_name": domain["name"],
                "cbr_auth_url": where["auth_url"],
                "cbr_endpoints": dict(where["endpoints"]),
                "ansible_connection": "local",
                # The controller's Python, wherever the inventory was read (an AWX inventory update runs elsewhere).
                "ansible_python_interpreter": trust_as_template("{{ ansible_playbook_python }}"),
            }
            yield self._host_name(project, domain), variables

    def _host_name(self, project, domain):
        kind = self.get_option("hostname")
        if kind == "id":
            return project["id"]
        if kind == "domain_and_name":
            return "%s.%s" % (domain["name"] or domain["id"], project["name"])
        return project["name"]

    def _add_host(self, host, variables):
        existing = self.inventory.hosts.get(host)
        if existing is not None and existing.vars.get("cbr_project_id") not in (None, variables["cbr_project_id"]):
            raise AnsibleParserError(
                "cloudops.cbr.cbr_projects: host %s is already project %s; project %s would share it. Set hostname "
                "to domain_and_name or id." % (host, existing.vars["cbr_project_id"], variables["cbr_project_id"])
            )
        self.inventory.add_host(host)
        for name, value in variables.items():
            self.inventory.set_variable(host, name, value)
        for group in ("region_" + variables["cbr_region"], "domain_%s" % variables["cbr_domain_name"]):
            self.inventory.add_child(self.inventory.add_group(re.sub(r"[^A-Za-z0-9_]", "_", group)), host)
        strict = self.get_option("strict")
        self._set_composite_vars(self.get_option("compose"), variables, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), variables, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, host, strict=strict)


def name_matches(project, pattern):
    return fnmatch.fnmatchcase(project["name"], pattern)


def chosen(projects, wanted, option, matches):
    """The projects that match one of `wanted` (all of them when it is empty); fails naming each entry of the
    option that matches none, so that a typo never widens or empties the estate silently."""
    if not wanted:
        return projects
    unmatched = [entry for entry in wanted if not any(matches(project, entry) for project in projects)]
    if unmatched:
        raise AnsibleParserError(
            "cloudops.cbr.cbr_projects: %s: %s matched no project the credential reaches (%s)"
            % (option, ", ".join(unmatched), ", ".join(sorted(p["name"] for p in projects)) or "none")
        )
    return [project for project in projects if any(matches(project, entry) for entry in wanted)]


def identity_hash(connection):
    """A hash of who is asking and where (never the secret itself): part of the cache key."""
    options = connection.options
    who = [str(options.get(name)) for name in IDENTITY if name not in ("password", "secret_key", "security_token")]
    where = [str(options.get(name)) for name in ("auth_url", "region", "project_id", "project_name")]
    return hashlib.sha256("\n".join(who + where).encode("utf-8")).hexdigest()[:16]
