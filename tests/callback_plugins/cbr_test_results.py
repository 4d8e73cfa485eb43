# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes the results that tests/runners.play_tasks collected to the file named by
CBR_TEST_RESULTS_FILE. A controller-side set_stats (with no_log) gathers them; writing them with
ansible.builtin.copy instead cost every play a module run (about 0.4 s)."""

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: cbr_test_results
type: aggregate
short_description: Write the results collected by tests/runners.play_tasks to a file
description:
  - Test-only. Writes the custom stat C(cbr_test_results) to the file named by the environment variable
    E(CBR_TEST_RESULTS_FILE) when the playbook ends.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "cbr_test_results"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_stats(self, stats):
        results = stats.custom.get("_run", {}).get("cbr_test_results")
        if results is None:
            return
        with open(os.environ["CBR_TEST_RESULTS_FILE"], "w", encoding="utf-8") as handle:
            json.dump(results, handle)
