# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of every cloudops.cbr module: options, connection, errors, results.

Private to this collection: the interface may change without notice.
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloudops.cbr.plugins.module_utils._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.cloudops.cbr.plugins.module_utils._lifecycle import run_lifecycle
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import AUTH_ARGUMENT_SPEC


class CbrModule:
    """Subclasses set argument_spec / module_kwargs (and service, "cbr" or "vbs") and implement run(),
    filling self.result.

    execute() runs the lifecycle of _lifecycle.run_lifecycle: resolves the connection options (task, cloud:,
    environment), hides every secret among them from the output, validates them and the module's own options
    (validate()) before any request, connects, calls run(), turns CbrApiError into fail_json and ends with
    exit_json. Any other exception fails the task with
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
        self._warned = 0  # how many of the connection's warnings were given
        self.doing = "starting"

    def validate(self):
        """Return a list of problems with the module's own options (each naming the option)."""
        return []

    def concurrency(self):
        """How many requests the module sends at once (sizes the connection pool)."""
        return 1

    def run(self):
        raise NotImplementedError

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
        failure = run_lifecycle(
            self.params,
            self._work,
            service=self.service,
            pool_size=self.concurrency(),
            hide=self.module.no_log_values.add,
            resolved=self._resolved,
            own_problems=self.validate,
            checked=self._checked,
            step=self._step,
        )
        if failure:
            self.module.fail_json(**failure)
        self.module.exit_json(**self.result)

    def _resolved(self, connection):
        self.connection = connection
        self._warn_of(connection)
        # From here on, the options say what the task really uses (as invocation.module_args shows them).
        self.params.update(connection.group_options())

    def _checked(self, _connection):
        if not self.params["validate_certs"]:
            self.module.warn("validate_certs is false: the endpoint's TLS certificate is not checked.")

    def _step(self, doing):
        self.doing = doing

    def _warn_of(self, connection):
        """Warn of what the connection found since the last call (connect() adds what it found out)."""
        for warning in connection.warnings[self._warned :]:
            self.module.warn(warning)
        self._warned = len(connection.warnings)

    def _work(self, connection, client):
        self._warn_of(connection)
        self.client = client
        self.run()
