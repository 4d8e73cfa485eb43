# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ways tests run the collection: a module's main() in this process, ansible-playbook, ansible-inventory.

run_module() is for option validation and pre-flight checks (milliseconds a case); run_playbook() only where
the playbook layer is the point (module_defaults, action groups, -vvv, the role); run_inventory() for the
inventory plugin. tests/integration/conftest.py exposes the first two as fixtures (run_module, play, run_playbook).
"""

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
from unittest import mock

import yaml
from ansible import constants, context
from ansible.cli.inventory import InventoryCLI
from ansible.errors import AnsibleError
from ansible.inventory import manager as inventory_manager
from ansible.module_utils import _internal as _module_utils_internal
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
except ImportError:  # older cores read the arguments from basic._ANSIBLE_ARGS

    @contextlib.contextmanager
    def patch_module_args(args=None):
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode("utf-8")
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield


MODULE_PACKAGE = "ansible_collections.cloudops.cbr.plugins.modules."
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
INVENTORY_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
CALLBACK_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
# The command-line arguments InventoryCLI's --list (JSON) reads.
LIST_AS_JSON = {"export": False, "basedir": None, "yaml": False, "toml": False}
# Variables the collection reads credentials from: left out of a run unless the test gives them.
CREDENTIAL_VARIABLE_PREFIXES = ("OS_", "HW_", "HUAWEICLOUD_SDK_")


def run_module(name, args, check_mode=False, diff=False):
    """Run cloudops.cbr.<name>'s main() with args and return what it passed to exit_json or fail_json.

    The result is the dict ansible-playbook would get (no_log values masked, warnings included). An exception
    that escapes main() propagates: under ansible-playbook it would be a MODULE FAILURE with a traceback.
    """
    module = importlib.import_module(MODULE_PACKAGE + name)
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    # Warnings and deprecations are process-wide lists; a module run in a fresh process starts with none.
    ansible_warnings._global_warnings.clear()
    ansible_warnings._global_deprecations.clear()
    output = io.StringIO()
    code = None
    # Once controller code is imported (an action plugin's unit test), warn() goes to the controller's display
    # instead of the module's result; a module process is never the controller.
    controller = mock.patch.object(_module_utils_internal, "is_controller", False, create=True)
    with patch_module_args(args), contextlib.redirect_stdout(output), controller:
        try:
            module.main()
            raise AssertionError("%s: main() returned without calling exit_json or fail_json" % name)
        except SystemExit as exit_:
            code = exit_.code
    lines = output.getvalue().strip().splitlines()
    assert lines, "%s: main() exited with %r and printed no result" % (name, code)
    result = json.loads(lines[-1])
    assert bool(code) == bool(result.get("failed")), "%s: exit code %r for %r" % (name, code, result)
    return result


def warning_texts(result):
    """The texts of a module result's warnings (ansible-core 2.19+ hands each over as a warning summary)."""
    return [w if isinstance(w, str) else w["event"]["msg"] for w in result.get("warnings", [])]


class PlayResult:
    """An ansible-playbook run: rc, output (stdout + stderr) and, for play(), each task's registered result."""

    def __init__(self, process, results=None):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.output = process.stdout + process.stderr
        self.results = results

    def __getitem__(self, index):
        return self.results[index]


def run_playbook(
    playbook,
    inventory="localhost,",
    extra_vars=None,
    check=False,
    diff=False,
    verbosity=0,
    forks=None,
    env=None,
    timeout=300,
):
    """Run ansible-playbook on a playbook file and return a PlayResult (rc, stdout, output).

    With the default inventory the play runs on localhost through the local connection, with this
    interpreter (which has requests). extra_vars is a dict, passed as JSON.
    """
    command = [PLAYBOOK_BIN, "-i", str(inventory), str(playbook)]
    if inventory == "localhost,":
        command += ["-c", "local", "-e", "ansible_python_interpreter=%s" % sys.executable]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if verbosity:
        command.append("-" + "v" * verbosity)
    if forks:
        command += ["-f", str(forks)]
    environment = dict(
        os.environ,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_RETRY_FILES_ENABLED="false",
    )
    environment.update(env or {})
    process = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=timeout, check=False)
    return PlayResult(process)


def play_tasks(workdir, tasks, defaults=None, **options):
    """Run tasks in one play on localhost and return a PlayResult with each task's registered result, in order.

    Every task is registered and may fail without stopping the play. defaults go to module_defaults of the
    collection's action group. options are run_playbook()'s.
    """
    registered = []
    play_tasks_ = []
    for index, task in enumerate(tasks):
        name = "result_%d" % index
        registered.append(name)
        play_tasks_.append(dict(task, register=name, ignore_errors=True))
    out_file = os.path.join(str(workdir), "results.json")
    play_tasks_.append(
        {
            # tests/callback_plugins/cbr_test_results.py writes them to out_file; no_log keeps them out of the output
            "name": "Collect the results",
            "ansible.builtin.set_stats": {
                "data": {"cbr_test_results": "{{ [%s] }}" % ", ".join(registered)},
                "per_host": False,
                "aggregate": False,
            },
            "no_log": True,
            "check_mode": False,
        }
    )
    playbook = [
        {
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": play_tasks_,
            "module_defaults": {"group/cloudops.cbr.cbr": defaults or {}},
        }
    ]
    path = os.path.join(str(workdir), "play.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(yaml.safe_dump(playbook, sort_keys=False))
    env = dict(
        options.pop("env", None) or {},
        ANSIBLE_CALLBACK_PLUGINS=CALLBACK_PLUGINS,
        ANSIBLE_CALLBACKS_ENABLED="cbr_test_results",
        CBR_TEST_RESULTS_FILE=out_file,
    )
    result = run_playbook(path, env=env, **options)
    assert os.path.exists(out_file), result.output
    with open(out_file, encoding="utf-8") as handle:
        result.results = json.load(handle)
    return result


def without_ansible_unsafe(value):
    """ansible-inventory's JSON with its {"__ansible_unsafe": value} wrappers taken off."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, without_ansible_unsafe(item)) for key, item in value.items())
    if isinstance(value, list):
        return [without_ansible_unsafe(item) for item in value]
    return value


def run_inventory(*sources, env=None, timeout=120):
    """ansible-inventory --list over the sources, in an environment without credential variables but `env`;
    a source that fails to parse fails the run. Returns (the completed process, the parsed inventory or None)."""
    command = [INVENTORY_BIN, "--list"]
    for source in sources:
        command += ["-i", str(source)]
    environment = inventory_environment(env)
    process = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=timeout, check=False)
    parsed = without_ansible_unsafe(json.loads(process.stdout)) if process.returncode == 0 else None
    return process, parsed


def inventory_environment(env=None):
    """The environment of an inventory run: this one without credential variables, unparsed sources fail, and env."""
    environment = dict(
        (name, value) for name, value in os.environ.items() if not name.startswith(CREDENTIAL_VARIABLE_PREFIXES)
    )
    environment.update(
        ANSIBLE_NOCOLOR="1", ANSIBLE_INVENTORY_UNPARSED_FAILED="true", ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true"
    )
    environment.update(env or {})
    return environment


def inventory_in_process(*sources, env=None):
    """What run_inventory() gives, built in this process the way ansible-inventory --list builds it (DataLoader,
    InventoryManager with its cache, VariableManager), in the same environment: for the plugin's own behaviour, where
    the command line is not the point. Returns (the messages ansible would print, the parsed inventory or None)."""
    messages = []

    def warning(msg, *_args, exception=None, **_kwargs):
        messages.append(msg)
        while exception is not None:
            messages.append(str(exception))
            exception = exception.__cause__ or exception.__context__

    unparsed_failed = {"INVENTORY_UNPARSED_IS_FAILED": True, "INVENTORY_ANY_UNPARSED_IS_FAILED": True}
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, inventory_environment(env), clear=True))
        stack.enter_context(mock.patch.multiple(constants, **unparsed_failed))
        stack.enter_context(mock.patch.object(inventory_manager.display, "warning", warning))
        stack.enter_context(mock.patch.object(inventory_manager.display, "error_as_warning", warning))
        loader = DataLoader()
        try:
            inventory = inventory_manager.InventoryManager(loader=loader, sources=[str(source) for source in sources])
        except AnsibleError as error:
            messages.append(str(error))
            return "\n".join(messages), None
        # ansible-inventory's own --list output, without its command line
        cli = InventoryCLI(["ansible-inventory", "--list"])
        cli.loader, cli.inventory, cli.vm = loader, inventory, VariableManager(loader=loader, inventory=inventory)
        stack.enter_context(mock.patch.object(context, "CLIARGS", LIST_AS_JSON))
        listed = cli.dump(cli.json_inventory(inventory.groups["all"]))
    return "\n".join(messages), without_ansible_unsafe(json.loads(listed))


def project_hosts_play(tasks, name="Each project of the estate", **defaults):
    """A playbook over the cbr_projects inventory: every host acts in its project (scope and location from its host
    variables) with the identity the environment gives; `defaults` are more module_defaults."""
    scope_and_location = {
        "project_id": "{{ cbr_project_id }}",
        "region": "{{ cbr_region }}",
        "auth_url": "{{ cbr_auth_url }}",
        "endpoints": "{{ cbr_endpoints }}",
    }
    return [
        {
            "name": name,
            "hosts": "all",
            "gather_facts": False,
            "module_defaults": {"group/cloudops.cbr.cbr": dict(scope_and_location, **defaults)},
            "tasks": tasks,
        }
    ]
