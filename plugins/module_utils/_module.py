# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of every cloudops.cbr module: options, connection, errors, results.

Private to this collection: the interface may change without notice.
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect, resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._http import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CbrApiError,
    CbrConfigError,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import AUTH_ARGUMENT_SPEC, CbrMissingLibrary


class CbrModule:
    """Subclasses set argument_spec / module_kwargs (and service, "cbr" or "vbs") and implement run(),
    filling self.result.

    execute() resolves the connection options (task, cloud:, environment), hides every secret among them from
    the output, validates them and the module's own options (validate()) before any request, connects, calls
    run(), turns CbrApiError into fail_json and ends with exit_json. Any other exception fails the task with
    what the module was doing (self.doing, which run() may set to say more) and the traceback in `exception`.
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
        self.connection = None
        self.client = None
        self.doing = "starting"

    def validate(self):
        """Return a list of problems with the module's own options (each naming the option)."""
        return []

    def concurrency(self):
        """How many requests the module sends at once (sizes the connection pool)."""
        return 1

    def run(self):
        raise NotImplementedError

    def resolve_connection(self):
        """Merge the connection options from every source into self.params, their secrets hidden first."""
        self.doing = "reading the connection options (task, cloud, environment)"
        try:
            self.connection = resolve(self.params)
        except CbrMissingLibrary as error:
            self.module.fail_json(
                msg=missing_required_lib(error.library, reason=error.reason), exception=error.import_traceback
            )
        except CbrConfigError as error:
            self.module.fail_json(msg=str(error))
        for secret in self.connection.secrets():
            self.module.no_log_values.add(secret)
        for warning in self.connection.warnings:
            self.module.warn(warning)
        # From here on, the options say what the task really uses (as invocation.module_args shows them).
        self.params.update(self.connection.group_options())

    def execute(self):
        try:
            self._execute()
        except Exception as error:  # pylint: disable=broad-exception-caught  # anything unforeseen, reported
            name = self.module._name  # the module's name under Ansible; else (run in-process) its Python module's
            if not name or name.endswith(".py"):
                name = type(self).__module__.rsplit(".", 1)[-1]
            self.module.fail_json(
                msg="%s failed unexpectedly while %s: %s: %s" % (name, self.doing, type(error).__name__, error),
                exception=traceback.format_exc(),
            )

    def _execute(self):
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self.resolve_connection()
        self.doing = "checking the options"
        problems = self.connection.problems(self.service) + self.validate()
        if problems:
            self.module.fail_json(msg="; ".join(problems))
        if not self.params["validate_certs"]:
            self.module.warn("validate_certs is false: the endpoint's TLS certificate is not checked.")
        try:
            self.doing = "connecting to the %s service" % self.service
            self.client = connect(self.connection, self.service, pool_size=self.concurrency())
            self.doing = "working with the %s API" % self.service
            self.run()
        except CbrConfigError as error:
            self.module.fail_json(msg=str(error))
        except CbrApiError as error:
            self.module.fail_json(**error.fail_kwargs())
        self.module.exit_json(**self.result)
