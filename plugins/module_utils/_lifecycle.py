# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One lifecycle for every task that talks to the API, a module (CbrModule) or the role's controller-side read
(action/share_and_accept_read): resolve the connection options, hide their secrets, find every problem before any
request (connection.problems() once, plus the caller's own), connect, run, and turn the known errors into the
keyword arguments of a failed result.

Private to this collection: the interface may change without notice.
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect, resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError, CbrConfigError
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import CbrMissingLibrary


def _nothing(*_args):
    return None


def run_lifecycle(
    options,
    work,
    service="cbr",
    pool_size=1,
    hide=_nothing,
    resolved=_nothing,
    own_problems=lambda: [],
    checked=_nothing,
    step=_nothing,
):
    """Run work(connection, client) for the task options `options`; None when it ran, else the failure as
    fail_json keyword arguments (msg, and the API's facts for an API error).

    hide(secret) is called for every secret of the resolved options before anything can print them;
    resolved(connection) then (a module copies the options it uses into its params); own_problems() returns
    the caller's own option problems, reported with the connection's; checked(connection) runs once they are
    none; step(doing) says what is being done (for a message on an unforeseen error).
    """
    try:
        step("reading the connection options (task, cloud, environment)")
        connection = resolve(options)
        for secret in connection.secrets():
            hide(secret)
        resolved(connection)
        step("checking the options")
        problems = connection.problems(service) + own_problems()
        if problems:
            return dict(msg="; ".join(problems))
        checked(connection)
        step("connecting to the %s service" % service)
        client = connect(connection, service, pool_size=pool_size, checked=True)
        step("working with the %s API" % service)
        work(connection, client)
    except CbrMissingLibrary as error:
        return dict(msg=missing_required_lib(error.library, reason=error.reason), exception=error.import_traceback)
    except CbrConfigError as error:
        return dict(msg=str(error))
    except CbrApiError as error:
        return error.fail_kwargs()
    return None
