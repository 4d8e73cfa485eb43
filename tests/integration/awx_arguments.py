# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check module arguments against awx.awx's own modules, without an AWX: run as a script, in a process of its own.

    python awx_arguments.py AWX_COLLECTIONS_DIR < [[module, args], ...] (JSON)  ->  [problem or null, ...] (JSON)

Each module's main() runs with the arguments, as Ansible would run it: AnsibleModule (ControllerAPIModule) validates
them against the module's argument spec (awx.awx's AUTH_ARGSPEC included) with its mutually_exclusive, required_if,
... rules, and fails with Ansible's message when they do not fit. The first request the module would send to AWX
stops it instead: the arguments were accepted. The awx.awx collection comes from AWX_COLLECTIONS_DIR (the PyPI
"ansible" package's, installed by make into .venv/awx).
"""

import contextlib
import importlib
import io
import json
import sys
from unittest import mock


class Accepted(Exception):
    """The module got past its argument validation and was about to ask AWX."""


def problem(module, args):
    """None when awx.awx.<module> accepts args, else its failure message."""
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.awx.awx.plugins.module_utils.controller_api import ControllerAPIModule

    code = importlib.import_module("ansible_collections.awx.awx.plugins.modules." + module)
    output = io.StringIO()
    with patch_module_args(args), mock.patch.object(ControllerAPIModule, "make_request", side_effect=Accepted):
        try:
            with contextlib.redirect_stdout(output):
                code.main()
        except Accepted:
            return None
        except SystemExit:
            result = json.loads(output.getvalue())
            return result.get("msg", "failed") if result.get("failed") else "exited without asking AWX"
    return "returned without asking AWX"


def main():
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    _AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
    calls = json.load(sys.stdin)
    json.dump([problem(module, args) for module, args in calls], sys.stdout)


if __name__ == "__main__":
    main()
