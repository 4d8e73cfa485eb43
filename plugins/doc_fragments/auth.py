# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Authentication and connection options shared by every cloudops.cbr module.
    DOCUMENTATION = r"""
options:
  cloud:
    description:
      - A cloud in C(clouds.yaml), the OpenStack client convention. The first C(clouds.yaml) found in
        E(OS_CLIENT_CONFIG_FILE), the current directory, C(~/.config/openstack/) and C(/etc/openstack/) is read, and
        the first C(secure.yaml) found in E(OS_CLIENT_SECURE_FILE) and the same directories is merged over it, as
        openstacksdk does.
      - "Read from the cloud: C(auth.auth_url), C(auth.username), C(auth.password), C(auth.user_domain_name) (or
        C(auth.domain_name), C(auth.project_domain_name)), C(auth.user_domain_id) (or C(auth.domain_id),
        C(auth.project_domain_id)), C(auth.project_id) (or C(auth.tenant_id)), C(auth.project_name) (or
        C(auth.tenant_name)), C(auth.token), C(auth.ak) / C(auth.access_key), C(auth.sk) / C(auth.secret_key),
        C(auth.security_token), C(region_name), C(regions), C(profile), C(verify) (a boolean or a CA bundle path),
        C(cacert), C(cbr_endpoint_override) and C(vbs_endpoint_override) (or C(vbsv2_endpoint_override),
        C(volume_backup_endpoint_override))."
      - "AK/SK where otcextensions puts them, at the top level of the cloud (C(ak) or C(access_key), C(sk) or
        C(secret_key), C(security_token) or C(token)), are read only when C(auth) names no user, token or AK/SK:
        next to a password they are the keys otcextensions signs OBS requests with, and the password stays the
        identity."
      - "C(profile) V(otc) (regions V(eu-de), the default, and V(eu-nl)) and V(otc-swiss) (V(eu-ch2)) are
        openstacksdk's vendor profiles; V(huaweicloud) (any Huawei Cloud region, set C(region_name)) is this
        collection's. A profile gives the region; without C(auth.auth_url), IAM and every service are then at the
        region's preset endpoints (see the notes). A C(region_name) outside the profile's or the cloud's
        C(regions) fails, as in openstacksdk."
      - "C(auth_type) of the cloud selects its credential: V(password) or V(v3password) (user name and password),
        V(token) or V(v3token), V(aksk); the cloud's keys of other credentials are then not used. Other auth types
        are refused. Without C(auth_type), every credential key of the cloud counts, as for the other levels."
      - "Ignored without a warning, as they mean nothing to these modules: C(interface), C(identity_interface),
        C(api_timeout), C(vendor_hook) and the C(*_api_version) settings and C(image_format). Any
        other key of the cloud or of its C(auth) is ignored with a warning that names it (for example
        C(auth.user_id) or the agency keys C(auth.target_*), which this collection does not support)."
      - The cloud is one level of the rule in the notes, below the task's options and above the environment.
      - If not set, the value of the E(OS_CLOUD) environment variable is used.
      - Needs the PyYAML Python library.
    type: str
  auth_url:
    description:
      - The IAM (Keystone v3) endpoint used for password authentication, for example
        V(https://iam.eu-de.otc.t-systems.com/v3). Part of the location group.
      - When not set, the IAM endpoint of O(region) is used (see the presets in the notes).
      - "Environment: E(OS_AUTH_URL), E(HW_AUTH_URL) or E(HUAWEICLOUD_SDK_IAM_ENDPOINT)."
    type: str
  username:
    description:
      - The IAM user name for password authentication. Part of the identity group.
      - "Environment: E(OS_USERNAME) or E(HW_USER_NAME)."
    type: str
  password:
    description:
      - The IAM user's password. Part of the identity group.
      - "Environment: E(OS_PASSWORD) or E(HW_USER_PASSWORD)."
    type: str
  domain_name:
    description:
      - The account (domain) name of the IAM user; required for password authentication. Part of the identity
        group.
      - "Environment: E(OS_USER_DOMAIN_NAME), E(OS_DOMAIN_NAME) or E(OS_PROJECT_DOMAIN_NAME) (the first set), or
        E(HW_DOMAIN_NAME)."
    type: str
  domain_id:
    description:
      - The id of the IAM user's account (domain), instead of O(domain_name) for password authentication; when both
        are set, the login names the domain by id (as keystoneauth does). Part of the identity group.
      - "Environment: E(OS_USER_DOMAIN_ID), E(OS_DOMAIN_ID) or E(OS_PROJECT_DOMAIN_ID) (the first set), or
        E(HW_DOMAIN_ID)."
    type: str
    version_added: 1.1.0
  project_id:
    description:
      - The project (tenant) the module works in, 32 lowercase hexadecimal characters, whatever its source.
        Part of the scope group.
      - Required with O(token) and with O(access_key)/O(secret_key). With a password, either this or
        O(project_name) scopes the token.
      - "Environment: E(OS_PROJECT_ID), E(HW_PROJECT_ID) or E(HUAWEICLOUD_SDK_PROJECT_ID)."
    type: str
  project_name:
    description:
      - The project name to scope a password token to, for example V(eu-de) or V(eu-de_dr); the project id is then
        read from the token. Part of the scope group.
      - With O(project_id) as well, the token is scoped by O(project_id) and must be for the project O(project_name)
        names, else the task fails after the login and before any other request. A token or AK/SK uses
        O(project_id) only.
      - "Environment: E(OS_PROJECT_NAME) or E(HW_PROJECT_NAME)."
    type: str
  region:
    description:
      - The region, for example V(eu-de), V(eu-nl), V(eu-ch2) (Open Telekom Cloud) or V(ap-southeast-1),
        V(eu-west-101) (Huawei Cloud). Part of the location group.
      - Selects the endpoints in the token catalog, and the preset endpoints when there is no catalog.
      - "Environment: E(OS_REGION_NAME) or E(HW_REGION_NAME)."
      - The alias O(region_name) is openstack.cloud's name for it.
    type: str
    aliases: [region_name]
  token:
    description:
      - An IAM token scoped to O(project_id), sent as C(X-Auth-Token). No login is made. Part of the identity group.
      - "Environment: E(OS_TOKEN) or E(HW_AUTH_TOKEN)."
    type: str
  access_key:
    description:
      - The access key (AK) for AK/SK request signing (C(SDK-HMAC-SHA256)). Part of the identity group.
      - "Environment: E(OS_ACCESS_KEY), E(HW_ACCESS_KEY) or E(HUAWEICLOUD_SDK_AK)."
    type: str
  secret_key:
    description:
      - The secret key (SK) that goes with O(access_key). It signs requests and is never sent. Part of the identity
        group.
      - "Environment: E(OS_SECRET_KEY), E(HW_SECRET_KEY) or E(HUAWEICLOUD_SDK_SK)."
    type: str
  security_token:
    description:
      - The security token of temporary AK/SK credentials, sent as C(X-Security-Token). Part of the identity group.
      - "Environment: E(OS_SECURITY_TOKEN), E(HW_SECURITY_TOKEN) or E(HUAWEICLOUD_SDK_SECURITY_TOKEN)."
    type: str
  endpoint:
    description:
      - The base URL of the service this module calls (CBR, or VBS for M(cloudops.cbr.cbr_backup_share)), for
        example V(https://cbr.eu-de.otc.t-systems.com). A trailing project part (V($(tenant_id\)s),
        V(%(project_id\)s), V(%(tenant_id\)s), V({project_id}) or a project id) and API version are ignored.
        Part of the location group.
      - Overrides O(endpoints), the token catalog and the region presets, for this module's service only. In
        C(module_defaults) of the action group it would apply to every service; use O(endpoints) there.
    type: str
  endpoints:
    description:
      - "The base URL of each service, as a dictionary with the keys V(cbr) and V(vbs), for example
        C({cbr: https://cbr.example, vbs: https://vbs.example}). Each module takes the one of its own service, so
        one C(module_defaults) block can carry both. Part of the location group."
      - M(cloudops.cbr.cbr_auth) returns it.
      - "Environment, in openstacksdk's style (C(OS_<SERVICE_TYPE>_ENDPOINT_OVERRIDE)): E(OS_CBR_ENDPOINT_OVERRIDE);
        E(OS_VBS_ENDPOINT_OVERRIDE), E(OS_VBSV2_ENDPOINT_OVERRIDE) or E(OS_VOLUME_BACKUP_ENDPOINT_OVERRIDE)."
    type: dict
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate. Set to V(false) only for testing. Part of the location
        group.
      - When not set, C(verify) of O(cloud) if the location comes from the cloud, else V(true).
      - The alias O(verify) is openstack.cloud's name for it.
    type: bool
    aliases: [verify]
  ca_cert:
    description:
      - A CA bundle (PEM file) to verify the endpoint's certificate with, instead of the system's. Part of the
        location group.
      - "Environment: E(OS_CACERT)."
      - The alias O(cacert) is openstack.cloud's name for it.
    type: path
    aliases: [cacert]
  timeout:
    description:
      - Seconds to wait for each HTTP answer.
      - The alias O(api_timeout) is openstack.cloud's name for the same setting. In openstack.cloud's modules,
        C(timeout) is how long to wait for a resource to be ready instead.
    type: float
    default: 30
    aliases: [api_timeout]
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
  - "B(One credential set per task.) The connection options form three groups: the identity (O(username),
    O(password), O(domain_name), O(domain_id), O(token), O(access_key), O(secret_key), O(security_token)), the scope
    (O(project_id), O(project_name)) and the location (O(auth_url), O(region), O(endpoint), O(endpoints),
    O(ca_cert), O(validate_certs)). Each group is taken whole from the highest level that sets any option of it,
    except that the scope is never taken from a level below the identity's: a project found only there belongs to
    another identity, and is not used.
    The levels, highest first: the task's options (with C(module_defaults), which Ansible merges into them option
    by option before the module runs); then O(cloud) (C(clouds.yaml)
    with C(secure.yaml)); then the environment, family by family: E(OS_*), then the Terraform huaweicloud
    provider's E(HW_*), then the Huawei Cloud SDK's E(HUAWEICLOUD_SDK_*). A family is also taken whole for a group:
    E(OS_USERNAME) never goes with E(HW_USER_PASSWORD). An empty environment variable counts as unset."
  - "So a task that names its own user gets no token, AK/SK or security token from the environment; a task that
    names its own identity (user, token or AK/SK) but no project gets none from the environment or C(clouds.yaml)
    either, and fails asking for one; a task that names O(project_name) gets no O(project_id) from the environment;
    a task that names only a scope keeps the identity of the level below (the same user working in another
    project), never the reverse; a task that names only O(region) or O(endpoint) takes no O(auth_url) from the
    environment."
  - "AWX: a job template with the collection's credential (or AWX's OpenStack credential, which writes a
    C(clouds.yaml) and sets E(OS_CLIENT_CONFIG_FILE)) injects the owner's credentials into the environment; tasks
    with no auth options act as that owner. A recipient's tasks give their own identity and scope in the task or
    in C(module_defaults), for example C(username), C(password), C(domain_name) and C(project_name) from a vault;
    none of the owner's identity or project is then used for them, while the owner's IAM endpoint (location) is,
    unless the recipient's tasks set a location too. To act as the injected user in another project, give only
    O(project_id) or O(project_name). The docs site's AWX page shows the tested playbook."
  - "Which credentials the identity group gives: O(token), else O(access_key) and O(secret_key), else O(username)
    and O(password). A token together with AK/SK (O(access_key), O(secret_key) or O(security_token)) is refused,
    naming the level both come from."
  - "Every value is validated after the merge, whatever its source: a O(project_id) read from C(clouds.yaml) or
    the environment is checked like one given to the task, and every secret read from any source is hidden from
    the task's output at any verbosity."
  - "A token from a password is fetched once per task; if it is refused during the task (it expired), the module
    logs in once more. A refused given token or AK/SK fails with a message that says it may have expired.
    M(cloudops.cbr.cbr_auth) logs in once for many tasks."
  - "Each module calls its own service: CBR, or VBS for M(cloudops.cbr.cbr_backup_share) (CBR and VBS are
    different hosts). Its endpoint is chosen in this order: O(endpoint), then O(endpoints) for its service, then
    the catalog of a password token (type C(cbr); C(vbsv2) or C(volume-backup)), then the preset for O(region)."
  - "Presets: C(https://SERVICE.REGION.myhuaweicloud.com) on Huawei Cloud and
    C(https://SERVICE.REGION.otc.t-systems.com) for V(eu-de) and V(eu-nl) (Open Telekom Cloud endpoint list), with
    these exceptions. Swiss OTC (V(eu-ch2)): IAM is C(https://iam-pub.eu-ch2.sc.otc.t-systems.com) (OTC's IAM
    documentation, For Swiss OTC, use this IAM endpoint), other services C(SERVICE.eu-ch2.sc.otc.t-systems.com),
    which no public source confirms: prefer the token catalog there (a password login finds CBR and VBS in it), and
    with AK/SK or a token set O(endpoint) or O(endpoints) to the hosts your cloud names; a task that falls back
    to these presets is warned. Huawei Cloud
    V(eu-west-101): CBR is on C(cbr.eu-west-101.myhuaweicloud.com)
    (huaweicloudsdkcbr region file since 3.1.150), IAM on C(iam.eu-west-101.myhuaweicloud.eu) and VBS on
    C(vbs.eu-west-101.myhuaweicloud.eu) (terraform-provider-huaweicloud uses C(myhuaweicloud.eu) for regions
    C(eu-west-1xx)). VBS on OTC is C(https://vbs.REGION.otc.t-systems.com) (OTC endpoint list)."
  - "GET, PUT and DELETE requests are retried up to 5 times on HTTP 429, 5xx and dropped connections, with
    backoff or the server's C(Retry-After), waiting at most 60 seconds in all. A POST is retried only on 429."
  - "All the requests of a task share one pace (see O(rate_limit)). A 429 answered while the task's other
    requests get through does not count towards the 5 tries: a throttled task slows down, it does not fail."
requirements:
  - requests
  - PyYAML (only with O(cloud))
"""
