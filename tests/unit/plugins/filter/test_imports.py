# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter plugins import no HTTP library: ansible loads every filter file of the collection in the worker of
each task that uses one of its filters, and requests alone costs that worker about 0.1 s of CPU."""

import json
import os
import subprocess
import sys

PLUGINS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins")
FILTER_FILES = sorted(name[:-3] for name in os.listdir(os.path.join(PLUGINS, "filter")) if name.endswith(".py"))
# A fresh interpreter, as a task's worker is: this test process has imported requests long ago.
IMPORT_AND_LIST = """
import json, sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
for name in sys.argv[2:]:
    __import__("ansible_collections.cloudops.cbr.plugins.filter." + name)
print(json.dumps(sorted(sys.modules)))
"""
HTTP_LIBRARIES = ("requests", "urllib3", "http.client")


def test_every_filter_file_imports_without_an_http_library():
    assert FILTER_FILES, "no filter plugin found under %s" % PLUGINS
    process = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_LIST, os.environ["ANSIBLE_COLLECTIONS_PATH"]] + FILTER_FILES,
        capture_output=True,
        text=True,
        check=True,
    )
    imported = json.loads(process.stdout)
    assert "ansible_collections.cloudops.cbr.plugins.filter.share_and_accept" in imported
    assert [name for name in imported if name in HTTP_LIBRARIES or name.split(".")[0] in HTTP_LIBRARIES] == []
