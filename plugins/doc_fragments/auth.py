# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    # Authentication and connection options shared by every cloudops.cbr module.
    DOCUMENTATION = r"""
options:
  cloud:
    description:
      - A cloud in C(clouds.yaml), the OpenStack client convention. The first C(clouds.yaml) found in the current
        directory, C(~/.config/openstack/) and C(/etc/openstack/) is read (or the file in E(OS_CLIENT_CONFIG_FILE)),
        and a C(secure.yaml) beside it is merged over it, as openstacksdk does.
      - "Read from the cloud: C(auth.auth_url), C(auth.username), C(auth.password), C(auth.user_domain_name),
        C(auth.project_id), C(auth.project_name), C(auth.token), C(auth.ak), C(auth.sk), C(auth.security_token),
        C(region_name), C(verify) and C(cacert)."
      - It only fills the options that are neither given to the task nor set in the environment.
      - If not set, the value of the E(OS_CLOUD) environment variable is used.
    type: str
  auth_url:
    description:
      - The IAM (Keystone v3) endpoint used for password authentication, for example
        V(https://iam.eu-de.otc.t-systems.com/v3).
      - When not set, the IAM endpoint of O(region) is used.
      - If not set, the value of the E(OS_AUTH_URL) or E(HUAWEICLOUD_SDK_IAM_ENDPOINT) environment variable is used.
    type: str
  username:
    description:
      - The IAM user name for password authentication.
      - If not set, the value of the E(OS_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - The IAM user's password.
      - If not set, the value of the E(OS_PASSWORD) environment variable is used.
    type: str
  domain_name:
    description:
      - The account (domain) name of the IAM user; required for password authentication.
      - If not set, the value of the E(OS_USER_DOMAIN_NAME) environment variable is used.
    type: str
  project_id:
    description:
      - The project (tenant) the module works in, 32 hexadecimal characters.
      - Required with O(token) and with O(access_key)/O(secret_key). With a password, either this or
        O(project_name) scopes the token.
      - If not set, the value of the E(OS_PROJECT_ID), E(HW_PROJECT_ID) or E(HUAWEICLOUD_SDK_PROJECT_ID) environment
        variable is used.
    type: str
  project_name:
    description:
      - The project name to scope a password token to, for example V(eu-de) or V(eu-de_dr);
        the project id is then read from the token.
      - If not set, the value of the E(OS_PROJECT_NAME) environment variable is used.
    type: str
  region:
    description:
      - The region, for example V(eu-de), V(eu-nl), V(eu-ch2) (Open Telekom Cloud) or V(ap-southeast-1),
        V(eu-west-101) (Huawei Cloud).
      - Selects the endpoint in the token catalog, and the preset endpoints when there is no catalog.
      - If not set, the value of the E(OS_REGION_NAME) or E(HW_REGION_NAME) environment variable is used.
    type: str
  token:
    description:
      - An IAM token scoped to O(project_id), sent as C(X-Auth-Token). No login is made.
      - If not set, the value of the E(OS_TOKEN) or E(HW_AUTH_TOKEN) environment variable is used.
    type: str
  access_key:
    description:
      - The access key (AK) for AK/SK request signing (C(SDK-HMAC-SHA256)).
      - If not set, the value of the E(OS_ACCESS_KEY), E(HW_ACCESS_KEY) or E(HUAWEICLOUD_SDK_AK) environment variable
        is used.
    type: str
  secret_key:
    description:
      - The secret key (SK) that goes with O(access_key). It signs requests and is never sent.
      - If not set, the value of the E(OS_SECRET_KEY), E(HW_SECRET_KEY) or E(HUAWEICLOUD_SDK_SK) environment variable
        is used.
    type: str
  security_token:
    description:
      - The security token of temporary AK/SK credentials, sent as C(X-Security-Token).
      - If not set, the value of the E(OS_SECURITY_TOKEN), E(HW_SECURITY_TOKEN) or E(HUAWEICLOUD_SDK_SECURITY_TOKEN)
        environment variable is used.
    type: str
  endpoint:
    description:
      - The base URL of the service the module calls, for example V(https://cbr.eu-de.otc.t-systems.com).
        A trailing API version and project id are ignored.
      - Overrides the token catalog and the region presets.
    type: str
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate. Set to V(false) only for testing.
      - When not set, C(verify) of O(cloud), else V(true).
    type: bool
  ca_cert:
    description:
      - A CA bundle (PEM file) to verify the endpoint's certificate with, instead of the system's.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
  rate_limit:
    description:
      - The most requests per second the task sends, for a user who knows the API gateway's limit on their
        requests (the gateway answers the excess with HTTP 429 C(APIG.0308)). Every request of the task counts,
        from all its concurrent workers.
      - When not set, the task sends as fast as it can until the first 429, then learns the pace from the
        refusals.
      - Either way, the pace drops on each 429 and grows back while requests are answered, never above this.
    type: float
notes:
  - "Where a value comes from: an option given to the task wins over the environment, and the environment wins
    over O(cloud) (C(clouds.yaml)). Among the environment variables, the first set and not empty in the order
    listed wins (E(OS_*), then E(HW_*), then E(HUAWEICLOUD_SDK_*))."
  - "Which credentials are used: O(token), else O(access_key) and O(secret_key), else O(username) and
    O(password)."
  - "A token from a password is fetched once per task; if it is refused during the task (it expired), the module
    logs in once more. A refused given token or AK/SK fails with a message that says it may have expired.
    M(cloudops.cbr.cbr_auth) logs in once for many tasks."
  - "The endpoint is chosen in this order: O(endpoint), then the catalog of a password token, then the
    preset for O(region), for IAM, CBR and VBS alike (C(https://SERVICE.REGION.myhuaweicloud.com),
    C(.myhuaweicloud.eu) for V(eu-west-101), C(.otc.t-systems.com) for V(eu-de) and V(eu-nl),
    C(.sc.otc.t-systems.com) for V(eu-ch2))."
  - "GET, PUT and DELETE requests are retried up to 5 times on HTTP 429, 5xx and dropped connections, with
    backoff or the server's C(Retry-After), waiting at most 60 seconds in all. A POST is retried only on 429."
  - "All the requests of a task share one pace (see O(rate_limit)). A 429 answered while the task's other
    requests get through does not count towards the 5 tries: a throttled task slows down, it does not fail."
requirements:
  - requests
"""
