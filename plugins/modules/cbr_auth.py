#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cbr_auth
short_description: Log in to IAM once and return a token for the other cloudops.cbr modules
version_added: 0.1.0
description:
  - Gets one IAM token with a password and returns it as RV(auth), with the project id, the region and the endpoint
    of every service of the action group (CBR, and VBS for M(cloudops.cbr.cbr_backup_share)), ready to pass to
    C(module_defaults) of the C(cloudops.cbr.cbr) group. Later tasks then reuse the token instead of logging in once
    per task, and each module reaches its own service.
  - The password may come from the task, from O(cloud) (C(clouds.yaml), C(secure.yaml)) or from the environment, as
    for every module of the collection.
  - The token is valid for 24 hours. Set C(no_log) on the task, since the result holds the token.
  - Token and AK/SK credentials need no login; pass them to the modules directly.
author:
  - cloudops.cbr maintainers (@cloudops)
options: {}
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
attributes:
  check_mode:
    support: full
    details: Logs in in check mode too, so that the tasks after it can read.
  diff_mode:
    support: N/A
    details: Nothing changes.
  platform:
    platforms: all
"""

EXAMPLES = r"""
# AWX: the job's credential injects the owner as OS_* variables. The recipient's task names its own identity and
# scope, so nothing of the owner's identity or project is used for it; the owner's IAM endpoint (OS_AUTH_URL) is.
- name: Log in as the recipient, whatever the job's credential injects
  cloudops.cbr.cbr_auth:
    username: "{{ dr_user }}"
    password: "{{ dr_password }}"
    domain_name: acme
    project_name: eu-de_dr
  register: dr_login
  no_log: true

- name: Log in as the injected user, in another project of the same account
  cloudops.cbr.cbr_auth:
    project_name: eu-de_golden
  register: golden_login
  no_log: true

- name: Log in with the credentials of a cloud of clouds.yaml (and secure.yaml)
  cloudops.cbr.cbr_auth:
    cloud: source
  register: source_login
  no_log: true

- name: Log in once as the source project
  cloudops.cbr.cbr_auth:
    auth_url: https://iam.eu-de.otc.t-systems.com/v3
    username: ops-automation
    password: "{{ vault_iam_password }}"
    domain_name: acme
    project_name: eu-de
  register: source_login
  no_log: true

- name: Reuse the token for every task of the block
  module_defaults:
    group/cloudops.cbr.cbr: "{{ source_login.auth }}"
  block:
    - name: Share the backup with the DR project
      cloudops.cbr.cbr_share_member:
        backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
        dest_project_ids:
          - 075e6035d300d48c2fd0c00b78b71ebf

    - name: Read its members
      cloudops.cbr.cbr_share_member_info:
        backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422

    - name: Share a disk backup through VBS, which is another service (endpoints.vbs)
      cloudops.cbr.cbr_backup_share:
        backup_id: 4d6cd1e0-1a3c-4a8b-9f3e-2c6a1b7c9d00
        to_project_ids:
          - 075e6035d300d48c2fd0c00b78b71ebf
"""

RETURN = r"""
auth:
  description: Options for the other modules, to use as C(module_defaults) of the C(cloudops.cbr.cbr) group.
  returned: success
  type: dict
  contains:
    token:
      description: The IAM token (secret).
      type: str
    project_id:
      description: The project the token is scoped to.
      type: str
      sample: 0761a1f0e5b34c9b8c2f0f0a7d1e0001
    auth_url:
      description:
        - The IAM endpoint that issued the token (O(auth_url), or the preset of O(region) when only the region was
          given). Modules that call IAM again with the token (the project names of
          M(cloudops.cbr.cbr_shared_backup_info)) send it there and nowhere else.
      type: str
      sample: https://iam.eu-de.otc.t-systems.com/v3
    region:
      description: The region, as given (V(null) when only O(auth_url) was given).
      type: str
      sample: eu-de
    endpoints:
      description:
        - The endpoint of each service the collection calls, from O(endpoint) (for C(cbr)), O(endpoints), the token
          catalog (C(cbr); C(vbsv2) or C(volume-backup) for C(vbs)) or the preset of O(region), without the
          catalog's project id and API version.
        - A service found nowhere is left out; its modules then need O(endpoint) or O(region).
      type: dict
      sample: {"cbr": "https://cbr.eu-de.otc.t-systems.com", "vbs": "https://vbs.eu-de.otc.t-systems.com"}
    validate_certs:
      description: As resolved (V(true) unless set to V(false)).
      type: bool
    ca_cert:
      description: As given.
      type: str
    timeout:
      description: As given.
      type: float
expires_at:
  description: When the token expires.
  returned: success
  type: str
  sample: "2026-11-24T08:00:00.000000Z"
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import token_options
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule


class Auth(CbrModule):
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        params = self.params
        if params["token"] or params["access_key"] or params["secret_key"] or not params["password"]:
            return [
                "cbr_auth logs in with username and password only (token and AK/SK credentials need no login: "
                "pass them to the modules directly)"
            ]
        return []

    def run(self):
        self.result["auth"] = token_options(self.connection, self.client, self.service)
        self.result["expires_at"] = self.client.session.auth.expires_at


def main():
    Auth().execute()


if __name__ == "__main__":
    main()
