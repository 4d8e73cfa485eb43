# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local emulator of the CBR backup-sharing API, IAM tokens and legacy VBS sharing.

It follows the project's API notes (docs/api_notes.md; §emulator lists its own rules). Every
behaviour no source settles is one row of UNCONFIRMED (cbr_emu/profiles.py), with the
notes section it follows and its answer in each profile: `strict` (the default) takes the strictest reading,
`lenient` the generous one. It is deliberately independent of the collection's module_utils: it
verifies AK/SK signatures with its own code, so that a bug in the client signer cannot hide
behind the same bug here.

Two listeners share one state: the main address serves IAM and CBR v3; a second address serves
only the legacy VBS v2 sharing paths (docs/api_notes.md §endpoints: VBS is another host). A path of one
service sent to the other's address answers 404 like any unknown path.

Run it:  python3 tests/emulator/cbr_emulator.py --port 0 --fixture FILE [--latency-ms N]
                 [--profile strict|lenient] [--rate-limit N] [--url-file F] [--vbs-url-file F]
The first line on stdout is the base URL (http://127.0.0.1:PORT), the second the VBS URL.
With `-- COMMAND ...` it serves only while COMMAND runs, passes it the base URL in the
environment variable CBR_EMULATOR_URL and the VBS URL in CBR_EMULATOR_VBS_URL, and exits
with COMMAND's exit code.

Control endpoints: the table CONTROL_ENDPOINTS (cbr_emu/control.py); `--help` prints it.

Where things are (tests/emulator/README.md says more):
  cbr_emu/profiles.py  UNCONFIRMED: every unconfirmed behaviour and its answer per profile
  cbr_emu/iam.py       IAM tokens and the authentication of every request
  cbr_emu/cbr.py       CBR v3: backups, vaults, share members (main address)
  cbr_emu/vbs.py       legacy VBS v2 sharing (VBS address)
  cbr_emu/control.py   the control endpoints under /__emulator__
  cbr_emu/emulator.py  Emulator: state, profile, rate limit, routing (@route in cbr_emu/wire.py)
  cbr_emu/state.py     State, FaultRule, RateLimiter
  cbr_emu/server.py    the two listeners, make_server, the command line
  cbr_emu/estate.py    make_estate: a fixture for a large estate (benchmarks)
"""

import sys

from cbr_emu.control import CONTROL_ENDPOINTS
from cbr_emu.emulator import Emulator
from cbr_emu.estate import make_estate
from cbr_emu.profiles import LENIENT, PROFILES, STRICT, SWITCHES, UNCONFIRMED, Unconfirmed
from cbr_emu.server import load_fixture, main, make_server
from cbr_emu.state import FaultRule, RateLimiter, State
from cbr_emu.wire import ApiError, Request

# The public API: what tests, benchmarks and fixtures use.
__all__ = [
    "ApiError",
    "CONTROL_ENDPOINTS",
    "Emulator",
    "FaultRule",
    "LENIENT",
    "PROFILES",
    "RateLimiter",
    "Request",
    "STRICT",
    "State",
    "SWITCHES",
    "UNCONFIRMED",
    "Unconfirmed",
    "load_fixture",
    "main",
    "make_estate",
    "make_server",
]

if __name__ == "__main__":
    sys.exit(main())
