# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test runs only: what every ansible process works out again from the same files, cached by their content.

Two kinds of import compile their source every time, with no bytecode written:
- a module task runs its AnsiballZ payload, a zip of the module and its module_utils (ansible's and this
  collection's), so every module process compiles about 20,000 lines again (0.15 s of CPU of the 0.45 s a run
  costs);
- ansible's collection loader compiles every collection file a controller process imports (ansible-core's
  _collection_finder get_code), and each task's worker is a fresh fork: every task that uses a filter or an action
  plugin of this collection compiles those files and their module_utils again.
And every ansible-playbook start parses ansible-core's 370 KB routing file (runtime.yml), about 0.09 s of CPU.
tests/conftest.py puts this directory on PYTHONPATH, so that the processes the tests start (ansible-playbook, its
workers and the modules it runs) load this file at start-up: each source compiles, and each runtime.yml is read, once
per test run, kept under CBR_PAYLOAD_CACHE. The code is the source's, byte for byte (the key is the source itself, its
path inside the zip or under ansible_collections/, and the interpreter); only its file name is set to the path of the
run that imports it. The benchmarks, the demo and the runs on the other ansible-core versions compile as any
installation does.
"""

import builtins
import hashlib
import importlib.util
import marshal
import os
import sys
import zipimport

CACHE = os.environ.get("CBR_PAYLOAD_CACHE")
COMPILE = getattr(zipimport, "_compile_source", None)
COLLECTION_FINDER = "ansible.utils.collection_loader._collection_finder"


def with_file_name(code, file_name):
    """The code object (and every code object in it) as compiled from `file_name`."""
    constants = tuple(with_file_name(c, file_name) if hasattr(c, "co_code") else c for c in code.co_consts)
    return code.replace(co_filename=file_name, co_consts=constants)


def stored(key_parts, produce):
    """What produce() returns, or what an earlier process stored for the same key: anything marshal can keep."""
    key = hashlib.sha256(b"\0".join([sys.implementation.cache_tag.encode()] + key_parts)).hexdigest()
    path = os.path.join(CACHE, key)
    try:
        with open(path, "rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = produce()
    try:
        os.makedirs(CACHE, exist_ok=True)
        written = "%s.%d" % (path, os.getpid())
        with open(written, "wb") as handle:
            marshal.dump(value, handle)
        os.replace(written, path)
    except (OSError, ValueError):
        pass
    return value


def as_bytes(text):
    return text.encode("utf-8") if isinstance(text, str) else text


def compile_once(pathname, source):
    """zipimport's _compile_source, cached."""
    inside = pathname.split(".zip" + os.sep, 1)[-1]
    code = stored([inside.encode(), as_bytes(source)], lambda: COMPILE(pathname, source))
    return with_file_name(code, pathname)


def compile_collection_source(source, filename, mode, flags=0, dont_inherit=False):
    """The compile() of ansible's collection loader, cached for a file under ansible_collections/."""
    inside = filename.partition(os.sep + "ansible_collections" + os.sep)[2]
    if mode != "exec" or not inside:
        return builtins.compile(source, filename, mode, flags, dont_inherit)
    code = stored(
        [inside.encode(), as_bytes(source)], lambda: builtins.compile(source, filename, mode, flags, dont_inherit)
    )
    return with_file_name(code, filename)


def routing_read_once(read):
    """The collection loader's reader of a runtime.yml (ansible-core's _meta_yml_to_dict, which ansible-core lets
    tools replace with a cached one; ansible-core's own routing file is 370 KB), cached by the file's text."""

    def read_once(yaml_string_data, content_id):
        return stored([b"runtime.yml", as_bytes(yaml_string_data)], lambda: read(yaml_string_data, content_id))

    return read_once


class CollectionFinderHook:
    """Gives ansible's collection loader the cached compile and runtime.yml reader when (and only when) a process
    imports it."""

    def find_spec(self, name, path=None, target=None):  # pylint: disable=unused-argument
        if name != COLLECTION_FINDER:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            exec_module = spec.loader.exec_module

            def exec_and_cache(module):
                exec_module(module)
                module.compile = compile_collection_source
                if module._meta_yml_to_dict:  # pylint: disable=protected-access
                    module._meta_yml_to_dict = routing_read_once(module._meta_yml_to_dict)  # pylint: disable=protected-access

            spec.loader.exec_module = exec_and_cache
        return spec


if CACHE and COMPILE is not None:
    zipimport._compile_source = compile_once  # pylint: disable=protected-access
if CACHE:
    sys.meta_path.insert(0, CollectionFinderHook())
