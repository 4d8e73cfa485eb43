# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test runs only: the compiled code of what Python imports from a zip file, cached by its source.

A module task runs its AnsiballZ payload, a zip of the module and its module_utils (ansible's and this collection's)
without bytecode, so every module process compiles about 20,000 lines again (0.15 s of CPU of the 0.45 s a run
costs). tests/conftest.py puts this directory on PYTHONPATH, so that the processes the tests start (ansible-playbook
and the modules it runs) load this file at start-up: each source compiles once per test run and the code is kept
under CBR_PAYLOAD_CACHE. The code is the source's, byte for byte (the key is the source itself, the path in the zip
and the interpreter); only its file name is set to the zip path of the run that imports it. The benchmarks, the demo
and the runs on the other ansible-core versions compile as any installation does.
"""

import hashlib
import marshal
import os
import sys
import zipimport

CACHE = os.environ.get("CBR_PAYLOAD_CACHE")
COMPILE = getattr(zipimport, "_compile_source", None)


def with_file_name(code, file_name):
    """The code object (and every code object in it) as compiled from `file_name`."""
    constants = tuple(with_file_name(c, file_name) if hasattr(c, "co_code") else c for c in code.co_consts)
    return code.replace(co_filename=file_name, co_consts=constants)


def compile_once(pathname, source):
    inside = pathname.split(".zip" + os.sep, 1)[-1]
    key = hashlib.sha256(sys.implementation.cache_tag.encode() + b"\0" + inside.encode() + b"\0" + source).hexdigest()
    path = os.path.join(CACHE, key)
    try:
        with open(path, "rb") as handle:
            return with_file_name(marshal.load(handle), pathname)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = COMPILE(pathname, source)
    try:
        os.makedirs(CACHE, exist_ok=True)
        written = "%s.%d" % (path, os.getpid())
        with open(written, "wb") as handle:
            marshal.dump(code, handle)
        os.replace(written, path)
    except OSError:
        pass
    return code


if CACHE and COMPILE is not None:
    zipimport._compile_source = compile_once  # pylint: disable=protected-access
