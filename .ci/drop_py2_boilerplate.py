"""Remove the Python 2 boilerplate from every tracked Python file (CONTRIBUTING.md, "Python 2 boilerplate").

Drops the `# -*- coding: utf-8 -*-` line, `from __future__ import absolute_import, division, print_function`
and `__metaclass__ = type` (the last two with the blank line after them). With --check, only lists the files
that still have them (exit 1). ruff's UP009, UP010 and UP001 report any that come back.
"""

import subprocess
import sys

CODING_LINE = "# -*- coding: utf-8 -*-\n"
BOILERPLATE = ("from __future__ import absolute_import, division, print_function\n", "__metaclass__ = type\n")


def without_boilerplate(lines):
    kept = []
    skip_blank = False
    for number, line in enumerate(lines):
        if line == CODING_LINE and number < 2:  # only where Python reads it: the first or second line
            continue
        if line in BOILERPLATE:
            skip_blank = True
            continue
        if skip_blank and line == "\n":
            skip_blank = False
            continue
        skip_blank = False
        kept.append(line)
    return kept


def main(argv):
    check = "--check" in argv
    files = subprocess.run(["git", "ls-files", "*.py"], capture_output=True, text=True, check=True).stdout.split()
    changed = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
        kept = without_boilerplate(lines)
        if kept == lines:
            continue
        changed.append(path)
        if not check:
            with open(path, "w", encoding="utf-8") as handle:
                handle.writelines(kept)
    print("%s %d files" % ("Would change" if check else "Changed", len(changed)))
    for path in changed:
        print("  " + path)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
