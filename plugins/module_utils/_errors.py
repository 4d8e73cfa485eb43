# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection raises when a request or its options fail: light enough for the controller's plugins.

Private to this collection: the interface may change without notice.
"""


class CbrConfigError(Exception):
    """The connection options are incomplete or contradictory; nothing was sent."""


class CbrApiError(Exception):
    """A request failed: what we were doing, and what the API (or the network) said."""

    def __init__(self, action, error_msg, status_code=None, error_code=None, request_id=None):
        self.action = action
        self.error_msg = error_msg
        self.status_code = status_code
        self.error_code = error_code
        self.request_id = request_id
        self.attempts = 1
        super().__init__(str(self))

    def __str__(self):
        said = " ".join(part for part in (self.error_code, self.error_msg) if part)
        return "%s: %s" % (self.action, said or "HTTP %s" % self.status_code)

    def fail_kwargs(self):
        """Keyword arguments for fail_json: the message plus the API's facts as separate keys."""
        return dict(
            msg=str(self),
            status_code=self.status_code,
            error_code=self.error_code,
            error_msg=self.error_msg,
            request_id=self.request_id,
        )


class CbrNotFound(CbrApiError):
    """The thing asked for is not there: a code of NOT_FOUND_CODES, or the 401 of a deleted backup.

    `what` says which kind of thing (backup, vault, member). Every other CbrApiError means the read failed.
    """

    def __init__(self, what, action, error_msg, **facts):
        self.what = what
        super().__init__(action, error_msg, **facts)


# The one table of "not there" (docs/api_notes.md §errors.codes; amazon.aws errors.py's _is_missing() does the same).
NOT_FOUND_CODES = {
    "BackupService.6200": "backup",
    "BackupService.6105": "vault",
    "BackupService.6705": "member",
}
