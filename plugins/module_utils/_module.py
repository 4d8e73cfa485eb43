# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of every cloudops.cbr module: shared options, connection, errors, results.

Private to this collection: the interface may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib

from ansible_collections.cloudops.cbr.plugins.module_utils._auth import cloud_options, load_cloud
from ansible_collections.cloudops.cbr.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CbrApiError,
    CbrConfigError,
    connect,
)

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

SetPlan = collections.namedtuple("SetPlan", "to_add to_remove before after")


def plan_set_change(current_ids, wanted_ids, state, purge):
    """What to add and remove so that a set of project ids matches the request; sorted lists.

    state=present adds the missing ones (and with purge removes the unlisted ones);
    state=absent removes the listed ones that are there.
    """
    have, want = set(current_ids), set(wanted_ids)
    if state == "absent":
        to_add, to_remove = set(), have & want
    else:
        to_add, to_remove = want - have, (have - want if purge else set())
    after = (have | to_add) - to_remove
    return SetPlan(sorted(to_add), sorted(to_remove), sorted(have), sorted(after))


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


class CbrModule:
    """Subclasses set argument_spec / module_kwargs and implement run(), filling self.result.

    execute() validates the options (Ansible's checks, then validate()) before any request,
    connects, calls run(), turns CbrApiError into fail_json and ends with exit_json.
    """

    argument_spec = {}
    module_kwargs = {}
    service = "cbr"

    def __init__(self):
        spec = dict(AUTH_ARGUMENT_SPEC)
        spec.update(self.argument_spec)
        self.module = AnsibleModule(argument_spec=spec, **self.module_kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.result = dict(changed=False)
        self.client = None

    def validate(self):
        """Return a list of problems with the module's own options (each naming the option)."""
        return []

    def concurrency(self):
        """How many requests the module sends at once (sizes the connection pool)."""
        return 1

    def run(self):
        raise NotImplementedError

    def apply_cloud_config(self):
        """Fill the options still unset (neither given nor from the environment) from clouds.yaml."""
        params = self.params
        if params["cloud"]:
            try:
                entry = load_cloud(params["cloud"], config_file=os.environ.get("OS_CLIENT_CONFIG_FILE"))
            except (OSError, ValueError) as error:
                self.module.fail_json(msg="cloud: %s" % error)
            for option, value in cloud_options(entry).items():
                if params.get(option) is None:
                    params[option] = value
        if params["validate_certs"] is None:
            params["validate_certs"] = True

    def execute(self):
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        problems = connection_problems(self.params) + self.validate()
        if problems:
            self.module.fail_json(msg="; ".join(problems))
        self.apply_cloud_config()
        if not self.params["validate_certs"]:
            self.module.warn("validate_certs is false: the endpoint's TLS certificate is not checked.")
        try:
            self.client = connect(self.params, self.service, pool_size=self.concurrency())
            self.run()
        except CbrConfigError as error:
            self.module.fail_json(msg=str(error))
        except CbrApiError as error:
            self.module.fail_json(**error.fail_kwargs())
        self.module.exit_json(**self.result)
