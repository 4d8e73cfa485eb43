# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a job the way AWX runs it: ansible-runner over a private data directory AWX would lay out.

What AWX does, and what this reproduces (awx/main/models/credential/__init__.py, inject_credential; awx/main/fields.py,
CredentialTypeInputField / CredentialTypeInjectorField; awx/api/views, JobTemplateSurveySpec._validate_spec_data):
- a custom credential type's `file` injectors are rendered to files under env/ (`tower.filename` is their path),
  its `env` injectors are rendered with a sandboxed Jinja environment in which an input left empty is undefined,
  so it renders as an empty string, and the result becomes env/envvars;
- the job template's extra vars and the survey answers become env/extravars;
- the project is checked out into project/ (extensions/awx/project/: playbooks importing the collection's),
  the collections of its collections/requirements.yml are installed into requirements_collections/,
  which ANSIBLE_COLLECTIONS_PATH points at; a check job runs ansible-playbook with --check.
"""

import fcntl
import glob
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from unittest import mock

import jsonschema
import yaml
from jinja2 import StrictUndefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Every secret of the demo fixture (tests/emulator/fixtures/demo.yml): none may reach a job's output.
DEMO_SECRETS = [
    "source-pass",
    "dr-pass",
    "golden-pass",
    "customer-pass",
    "source-secret-key-0001",
    "source-temp-secret-0001",
    "source-temp-security-token-0001",
    "dr-secret-key-0001",
    "golden-secret-key-0001",
    "customer-secret-key-0001",
]
GOLDEN_AK = "AKGOLDEN0000000000001"
SOURCE_AK, SOURCE_SK = "AKSOURCE0000000000001", "source-secret-key-0001"
_COLLECTIONS = []
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX_DIR = os.path.join(REPO, "extensions", "awx")
BIN = os.path.dirname(sys.executable)

# AWX's schema for a custom credential type's inputs and injectors (awx/main/fields.py).
CREDENTIAL_INPUTS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "required": {"type": "array", "items": {"type": "string"}},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"enum": ["string", "boolean"]},
                    "format": {"enum": ["ssh_private_key", "url"]},
                    "choices": {"type": "array", "minItems": 1, "items": {"type": "string"}, "uniqueItems": True},
                    "id": {"type": "string", "pattern": "^[a-zA-Z_]+[a-zA-Z0-9_]*$"},
                    "label": {"type": "string"},
                    "help_text": {"type": "string"},
                    "multiline": {"type": "boolean"},
                    "secret": {"type": "boolean"},
                    "ask_at_runtime": {"type": "boolean"},
                    "default": {},
                },
                "additionalProperties": False,
                "required": ["id", "label"],
            },
        },
    },
}
CREDENTIAL_INJECTORS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "file": {
            "type": "object",
            "patternProperties": {r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$": {"type": "string"}},
            "additionalProperties": False,
        },
        "env": {
            "type": "object",
            "patternProperties": {"^[a-zA-Z_]+[a-zA-Z0-9_]*$": {"type": "string", "pattern": "^[\x00-\x7f]*$"}},
            "additionalProperties": False,
        },
        "extra_vars": {
            "type": "object",
            "patternProperties": {"^[a-zA-Z_]+[a-zA-Z0-9_]*$": {"type": "string"}},
            "additionalProperties": False,
        },
    },
}

# AWX's survey spec rules (JobTemplateSurveySpec.ALLOWED_TYPES and _validate_spec_data) as a JSON schema;
# the rules a schema cannot say (unique variables, defaults among the choices) are in survey_problems().
SURVEY_TYPES = {
    "text": str,
    "textarea": str,
    "password": str,
    "multiplechoice": str,
    "multiselect": str,
    "integer": int,
    "float": float,
}
SURVEY_SCHEMA = {
    "type": "object",
    "required": ["name", "description", "spec"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "spec": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["type", "question_name", "variable", "required"],
                "properties": {
                    "type": {"enum": sorted(SURVEY_TYPES)},
                    "question_name": {"type": "string"},
                    "question_description": {"type": "string"},
                    "variable": {"type": "string", "pattern": "^[a-zA-Z_][a-zA-Z0-9_]*$"},
                    "required": {"type": "boolean"},
                    "min": {"type": ["integer", "null"]},
                    "max": {"type": ["integer", "null"]},
                    "choices": {"type": ["string", "array"]},
                },
                "allOf": [
                    {
                        "if": {"properties": {"type": {"enum": ["multiplechoice", "multiselect"]}}},
                        "then": {"required": ["choices"]},
                    },
                    {
                        "if": {"properties": {"type": {"const": "integer"}}},
                        "then": {"properties": {"default": {"anyOf": [{"type": "integer"}, {"const": ""}]}}},
                    },
                    {
                        "if": {"properties": {"type": {"const": "float"}}},
                        "then": {"properties": {"default": {"anyOf": [{"type": "number"}, {"const": ""}]}}},
                    },
                    {
                        "if": {
                            "properties": {
                                "type": {"enum": ["text", "textarea", "password", "multiplechoice", "multiselect"]}
                            }
                        },
                        "then": {"properties": {"default": {"type": "string"}}},
                    },
                ],
            },
        },
    },
}


def injected_identity(url):
    """The environment a CBR credential injects for the demo fixture's source user, with where IAM and CBR are (the
    emulator at url) and no scope: each project host names its own."""
    return {
        "OS_AUTH_URL": url + "/v3",
        "OS_USERNAME": "ops-source",
        "OS_PASSWORD": "source-pass",
        "OS_USER_DOMAIN_NAME": "acme",
        "OS_CBR_ENDPOINT_OVERRIDE": url,
    }


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def survey_choices(question):
    choices = question.get("choices", [])
    return [c for c in choices.splitlines() if c.strip()] if isinstance(choices, str) else list(choices)


def _defaults(question):
    default = question.get("default", "")
    return [d for d in default.splitlines() if d.strip()] if isinstance(default, str) else list(default)


def survey_problems(spec):
    """What AWX would refuse in a survey spec (an empty list when it accepts it)."""
    problems = [error.message for error in jsonschema.Draft7Validator(SURVEY_SCHEMA).iter_errors(spec)]
    if problems:
        return problems
    seen = set()
    for index, question in enumerate(spec["spec"]):
        if question["variable"] in seen:
            problems.append("'variable' %r duplicated in survey question %d" % (question["variable"], index))
        seen.add(question["variable"])
        if question["type"] in ("multiplechoice", "multiselect") and "default" in question:
            defaults = _defaults(question)
            if question["type"] == "multiplechoice" and len(defaults) > 1:
                problems.append("question %d: multiple choice can only have one default" % index)
            if any(item not in survey_choices(question) for item in defaults):
                problems.append("question %d: default choice must be one of the choices" % index)
        if str(question.get("default", "")).startswith("$encrypted$"):
            problems.append("question %d: $encrypted$ is reserved" % index)
    return problems


def survey_answers_to_extra_vars(spec, answers):
    """The extra vars AWX makes of survey answers: defaults for unanswered questions, a list for a multiselect,
    numbers for integer and float questions; a required question without answer or default is refused."""
    extra_vars = {}
    for question in spec["spec"]:
        name = question["variable"]
        if name in answers:
            value = answers[name]
        elif question.get("default", "") != "":
            value = question["default"]
        elif question["required"]:
            raise ValueError("survey question %s is required" % name)
        else:
            continue
        if question["type"] == "multiselect":
            value = value if isinstance(value, list) else [v for v in value.splitlines() if v.strip()]
            assert all(v in survey_choices(question) for v in value), (name, value)
        elif question["type"] == "multiplechoice":
            assert value in survey_choices(question), (name, value)
        elif question["type"] in ("integer", "float"):
            value = SURVEY_TYPES[question["type"]](value)
        else:
            assert isinstance(value, str), (name, value)
        extra_vars[name] = value
    return extra_vars


def credential_type_problems(credential_type):
    """What AWX would refuse in a custom credential type: its schemas, then every injector template rendered with
    StrictUndefined over the defined fields (AWX's own check that templates only use defined fields)."""
    problems = [
        e.message for e in jsonschema.Draft4Validator(CREDENTIAL_INPUTS_SCHEMA).iter_errors(credential_type["inputs"])
    ]
    problems += [
        e.message
        for e in jsonschema.Draft4Validator(CREDENTIAL_INJECTORS_SCHEMA).iter_errors(credential_type["injectors"])
    ]
    if problems:
        return problems
    fields = credential_type["inputs"]["fields"]
    ids = [field["id"] for field in fields]
    if len(set(ids)) != len(ids) or "tower" in ids:
        problems.append("field ids must be unique and not 'tower'")
    namespace = dict((field_id, "EXAMPLE") for field_id in ids)
    files = credential_type["injectors"].get("file", {})
    if "template" in files:
        namespace["tower"] = {"filename": "EXAMPLE_FILENAME"}
        if len(files) > 1:
            problems.append("must use multi-file syntax when injecting multiple files")
    elif files:
        namespace["tower"] = {"filename": dict((name.split(".")[1], "EXAMPLE_FILENAME") for name in files)}
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, injector in credential_type["injectors"].items():
        for key, template in injector.items():
            if kind == "env" and key.startswith("ANSIBLE_"):
                problems.append("%s may affect Ansible configuration" % key)
            try:
                sandbox.from_string(template).render(namespace)
            except UndefinedError as error:
                problems.append("%s uses an undefined field (%s)" % (key, error))
    return problems


def render_injectors(credential_type, inputs, private_data_dir):
    """env/ files and the environment AWX injects for a credential with these inputs.

    Inputs left out or empty are not in the namespace: Jinja's default Undefined renders them as ''.
    """
    namespace = dict((key, value) for key, value in inputs.items() if value not in ("", None))
    tower = {}
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(private_data_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    for label, template in credential_type["injectors"].get("file", {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as out:
            out.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP)
        if "." in label:
            tower.setdefault("filename", {})[label.split(".", 1)[1]] = path
        else:
            tower["filename"] = path
    namespace["tower"] = tower
    return dict(
        (name, sandbox.from_string(template).render(**namespace))
        for name, template in credential_type["injectors"].get("env", {}).items()
    )


def openstack_credential_env(inputs, private_data_dir):
    """AWX's built-in OpenStack credential (awx/main/models/credential/injectors.py, openstack): a clouds.yaml with
    one cloud named `devstack` written under env/, and OS_CLIENT_CONFIG_FILE pointing at it."""
    auth = {
        "auth_url": inputs.get("host", ""),
        "username": inputs.get("username", ""),
        "password": inputs.get("password", ""),
        "project_name": inputs.get("project", ""),
    }
    if inputs.get("project_domain_name"):
        auth["project_domain_name"] = inputs["project_domain_name"]
    if inputs.get("domain"):
        auth["domain_name"] = inputs["domain"]
    cloud = {"auth": auth, "verify": inputs.get("verify_ssl", True)}
    if inputs.get("region"):
        cloud["region_name"] = inputs["region"]
    env_dir = os.path.join(private_data_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    handle, path = tempfile.mkstemp(dir=env_dir)
    with os.fdopen(handle, "w") as out:
        yaml.safe_dump({"clouds": {"devstack": cloud}}, out, default_flow_style=False, allow_unicode=True)
    return {"OS_CLIENT_CONFIG_FILE": path}


def build_collection(workdir):
    """Build the collection tarball and install it offline as AWX installs a project's collections:
    into requirements_collections/. Returns that directory."""
    dist = os.path.join(workdir, "dist")
    installed = os.path.join(workdir, "requirements_collections")
    galaxy = os.path.join(BIN, "ansible-galaxy")
    for command in (
        [galaxy, "collection", "build", "--output-path", dist, REPO],
        [galaxy, "collection", "install", "--offline", "--force", "-p", installed, dist],
    ):
        if command[2] == "install":
            command[-1:] = glob.glob(os.path.join(dist, "*.tar.gz"))
        # In a clean environment: a collections path that already holds the checkout would make install a no-op.
        process = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            env=dict(clean_environment(), ANSIBLE_COLLECTIONS_PATH=installed),
        )
        assert process.returncode == 0, process.stdout + process.stderr
    assert os.path.isfile(os.path.join(installed, "ansible_collections", "cloudops", "cbr", "MANIFEST.json"))
    return installed


def collection_once(tmp_path_factory):
    """build_collection() once per pytest run, however many test modules and xdist workers ask: the first builds it
    under a lock in the run's temporary root (which every worker of the run shares), the others install nothing."""
    if not _COLLECTIONS:
        root = tmp_path_factory.getbasetemp()
        if os.environ.get("PYTEST_XDIST_WORKER"):
            root = root.parent  # each worker's base temporary directory is in the run's root
        workdir = os.path.join(str(root), "awx-collection")
        with open(workdir + ".lock", "w", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            installed = os.path.join(workdir, "requirements_collections")
            if not os.path.isfile(os.path.join(installed, "ansible_collections", "cloudops", "cbr", "MANIFEST.json")):
                shutil.rmtree(workdir, ignore_errors=True)  # what a build that failed left
                installed = build_collection(workdir)
        _COLLECTIONS.append(installed)
    return _COLLECTIONS[0]


def clean_environment():
    """The environment of an execution environment's container: the toolchain, none of the caller's settings."""
    # Installed packages load from bytecode as in an image (pip compiles at install), and module payloads compile once
    # per test run (tests/payload_cache): neither changes what a job does.
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "PYTHONPYCACHEPREFIX", "CBR_PAYLOAD_CACHE")
    env = dict((name, os.environ[name]) for name in keep if name in os.environ)
    env["PATH"] = BIN + os.pathsep + "/usr/local/bin:/usr/bin:/bin"
    if "CBR_PAYLOAD_CACHE" in env:
        env["PYTHONPATH"] = os.path.join(REPO, "tests", "payload_cache")
    return env


def inventory_slice(script_data, number, count):
    """The inventory AWX gives slice `number` (1-based) of `count` (Inventory.get_script_data): the hosts sorted by
    name, every count-th from number - 1; the groups with only those hosts; the inventory's variables (`all`) whole."""
    hostvars = script_data["_meta"]["hostvars"]
    hosts = sorted(hostvars)[number - 1 :: count]
    data = {
        "all": dict(script_data.get("all", {}), hosts=[h for h in script_data["all"].get("hosts", []) if h in hosts])
    }
    for group, members in script_data.items():
        if group not in ("all", "_meta"):
            data[group] = dict(members, hosts=[h for h in members.get("hosts", []) if h in hosts])
    data["_meta"] = {"hostvars": dict((host, hostvars[host]) for host in hosts)}
    return data


def _inventory_script(script_data):
    """An executable inventory as AWX writes it into the private data directory: a script printing the JSON."""
    return "#!%s\nprint(%r)\n" % (sys.executable, json.dumps(script_data))


class AwxJob:
    """A private data directory as AWX lays it out for one job, and the runs made from it."""

    def __init__(self, root, collections_dir, playbook, envvars, extravars, inventory=None):
        self.root = str(root)
        self.playbook = playbook
        # The AWX project: playbooks that import the collection's own, and collections/requirements.yml.
        shutil.copytree(os.path.join(AWX_DIR, "project"), os.path.join(self.root, "project"))
        os.symlink(collections_dir, os.path.join(self.root, "requirements_collections"))
        os.makedirs(os.path.join(self.root, "inventory"), exist_ok=True)
        # The job template's inventory: localhost, run with the execution environment's Python; or the inventory
        # script AWX writes for an inventory (script data as Inventory.get_script_data gives it, maybe a slice).
        inventory_path = os.path.join(self.root, "inventory", "hosts")
        with open(inventory_path, "w", encoding="utf-8") as out:
            if inventory is None:
                out.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
            else:
                out.write(_inventory_script(inventory))
        if inventory is not None:
            os.chmod(inventory_path, stat.S_IRWXU)
        envvars = dict(
            envvars,
            ANSIBLE_COLLECTIONS_PATH=os.path.join(self.root, "requirements_collections"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_LOCALHOST_WARNING="false",
        )
        self._write("env/envvars", envvars)
        self._write("env/extravars", extravars)
        self.runs = []

    def _write(self, name, data):
        path = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            yaml.safe_dump(data, out, default_flow_style=False)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)

    def run(self, check=False, diff=False, verbosity=0):
        """One job run (check: job type "check"; diff: "show changes"); returns the ansible_runner Runner."""
        import ansible_runner  # test dependency only

        ident = "job%d" % (len(self.runs) + 1)
        # AWX passes the job type and "show changes" as ansible-playbook options (env/cmdline).
        with open(os.path.join(self.root, "env", "cmdline"), "w", encoding="utf-8") as out:
            out.write(" ".join(option for option, wanted in (("--check", check), ("--diff", diff)) if wanted))
        with mock.patch.dict(os.environ, clean_environment(), clear=True):
            runner = ansible_runner.run(
                private_data_dir=self.root,
                playbook=self.playbook,
                ident=ident,
                verbosity=verbosity or None,
                quiet=True,
                rotate_artifacts=0,
            )
        self.runs.append(runner)
        return runner

    def artifact_texts(self):
        """Every file the runs left in artifacts/ that AWX publishes (job events, stdout, status), as text.

        ansible-runner's own `command` file is left out: it is its record of the process environment (env/envvars
        itself), written 0600 inside the private data directory; AWX keeps a copy with secret values masked.
        """
        texts = {}
        for path in glob.glob(os.path.join(self.root, "artifacts", "**", "*"), recursive=True):
            if os.path.isfile(path) and os.path.basename(path) != "command":
                with open(path, encoding="utf-8", errors="replace") as handle:
                    texts[os.path.relpath(path, self.root)] = handle.read()
        return texts


def rst_code_blocks(path):
    """{caption: text} of every captioned code block of an rst file; blocks without a caption raise."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    blocks = {}
    for match in re.finditer(r"^\.\. code-block:: \w+\n((?:    :\w+:.*\n)*)\n((?:(?: {4}.*)?\n)+)", text, re.M):
        caption = re.search(r":caption: (.+)", match.group(1))
        assert caption, "code block without a caption: %s" % match.group(2)[:80]
        body = "\n".join(line[4:] for line in match.group(2).splitlines())
        blocks[caption.group(1).strip()] = body.strip("\n") + "\n"
    assert text.count(".. code-block::") == len(blocks)
    return blocks


def events(runner, name=None):
    """The runner's job events, only those of this event name when given."""
    return [event for event in runner.events if name is None or event["event"] == name]


def artifacts(runner):
    """What set_stats published in a run: the job's artifacts, as AWX keeps them."""
    [stats] = events(runner, "playbook_on_stats")
    return stats["event_data"].get("artifact_data") or {}


def workflow_artifacts(runners):
    """The artifacts a workflow node passes on after a sliced job (WorkflowJob._combined_artifacts): every slice's,
    merged key by key in slice order, a later slice's value replacing an earlier one's."""
    combined = {}
    for runner in runners:
        combined.update(artifacts(runner))
    return combined


def task_results(runner, task_name):
    """The module results of a task (runner_on_ok and runner_on_failed events), in order."""
    return [
        event["event_data"]["res"]
        for event in runner.events
        if event["event"] in ("runner_on_ok", "runner_on_failed") and event["event_data"].get("task") == task_name
    ]


def assert_no_secret(job, secrets=None):
    """No secret (DEMO_SECRETS by default) in what the job's runs left in artifacts/ (stdout and job events)."""
    secrets = DEMO_SECRETS if secrets is None else secrets
    texts = job.artifact_texts()
    assert any(name.endswith("stdout") for name in texts) and any("job_events" in name for name in texts)
    assert leaked(texts, secrets) == []


def leaked(texts, secrets):
    """(file, secret) for every secret found in any of these texts, also JSON- or URL-escaped."""
    found = []
    for name, text in texts.items():
        for secret in secrets:
            forms = {
                secret,
                json.dumps(secret)[1:-1],
                re.sub(r"([^A-Za-z0-9_.~-])", lambda m: "%%%02X" % ord(m.group(1)), secret),
            }
            if any(form in text for form in forms):
                found.append((name, secret))
    return found
