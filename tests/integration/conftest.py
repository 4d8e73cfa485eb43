# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run tasks through ansible-playbook against the emulator and collect each task's result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest
import yaml

PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


class PlayResult:
    def __init__(self, process, results):
        self.rc = process.returncode
        self.output = process.stdout + process.stderr
        self.results = results

    def __getitem__(self, index):
        return self.results[index]


@pytest.fixture
def play(tmp_path):
    """play(tasks, check=False, diff=False, defaults=None, verbosity=0) -> PlayResult.

    Every task is registered (and may fail without stopping the play); the registered results
    are written to a JSON file, in task order. `defaults` go to module_defaults of the action group.
    """

    def run(tasks, check=False, diff=False, defaults=None, verbosity=0, env=None):
        registered = []
        play_tasks = []
        for index, task in enumerate(tasks):
            name = "result_%d" % index
            registered.append(name)
            play_tasks.append(dict(task, register=name, ignore_errors=True))
        out_file = str(tmp_path / "results.json")
        dump = "{{ [%s] | to_json }}" % ", ".join(registered)
        play_tasks.append({"name": "Write the results", "ansible.builtin.copy": {"content": dump, "dest": out_file},
                           "check_mode": False, "diff": False})
        playbook = [{"hosts": "localhost", "gather_facts": False, "tasks": play_tasks,
                     "module_defaults": {"group/cloudops.cbr.cbr": defaults or {}}}]
        path = tmp_path / "play.yml"
        path.write_text(yaml.safe_dump(playbook, sort_keys=False))
        command = [PLAYBOOK_BIN, "-i", "localhost,", "-c", "local", str(path),
                   "-e", "ansible_python_interpreter=%s" % sys.executable]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        environment = dict(os.environ, ANSIBLE_NOCOLOR="1",
                           ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
                           ANSIBLE_RETRY_FILES_ENABLED="false")
        environment.update(env or {})
        process = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300,
                                 check=False)
        assert os.path.exists(out_file), process.stdout + process.stderr
        with open(out_file, encoding="utf-8") as handle:
            return PlayResult(process, json.load(handle))

    return run
