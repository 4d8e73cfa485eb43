# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of every cloudops.cbr module: options, connection, errors, results.

Private to this collection: the interface may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import (
    AUTH_ARGUMENT_SPEC,
    cloud_options,
    connect,
    connection_problems,
    load_cloud,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._http import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CbrApiError,
    CbrConfigError,
)


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
