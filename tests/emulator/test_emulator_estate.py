# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's estate: accounts, users with roles in several projects, regions with their own addresses,
project- and domain-scoped tokens, GET /v3/auth/projects, and one rate limit per identity over every address.
Plain HTTP and the official SDKs (huaweicloudsdkiam, the huaweicloudsdkcore signer)."""

import huaweicloudsdkiam.v3 as iam_sdk
import pytest
import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

import cbr_emulator  # pylint: disable=import-error
from estate_ids import (  # pylint: disable=import-error
    ACME,
    ACME_DOMAIN,
    APP_01,
    DR_OPS,
    ESTATE_OPS,
    GLOBEX,
    GLOBEX_OPS,
    PARTNER,
    WEB_01,
    WEB_NL_01,
    password_login,
    region_url,
)


def token(estate, region, user, scope):
    domain, password = user[0], user[1]
    response = requests.post(
        region_url(estate, region) + "/v3/auth/tokens",
        json=password_login(NAMES[user], domain, password, scope),
        timeout=5,
    )
    return response


NAMES = {ESTATE_OPS: "estate-ops", GLOBEX_OPS: "globex-ops", DR_OPS: "dr-ops"}


def project_token(estate, region, project_id, user=ESTATE_OPS):
    response = token(estate, region, user, {"project": {"id": project_id}})
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"]


def signed(estate, region, path, project_id=None, user=ESTATE_OPS, listener="main"):
    """(url, headers) of a GET signed with the user's AK/SK by the official SDK signer."""
    url = region_url(estate, region, listener) + path
    scheme, host = url.split("://")[0], url.split("://")[1].split("/")[0]
    headers = {"Content-Type": "application/json"}
    if project_id:
        headers["X-Project-Id"] = project_id
    request = SdkRequest(
        method="GET",
        schema=scheme,
        host=host,
        resource_path="/" + url.split("/", 3)[3],
        header_params=headers,
        query_params=[],
    )
    request = Signer(BasicCredentials(user[2], user[3])).sign(request)
    return url, request.header_params


def test_the_fixture_gives_regions_accounts_and_users_with_roles(estate):
    state = estate.state
    assert state.regions == ["eu-de", "eu-nl"]
    assert {p["region"] for p in state.projects.values()} == {"eu-de", "eu-nl"}
    assert len(state.projects_of(("acme", "estate-ops"))) == 8
    assert len(state.projects_of(("globex", "globex-ops"))) == 4
    assert [p["name"] for p in state.projects_of(("acme", "dr-ops"))] == ["eu-de_dr"]
    assert state.domains["acme"]["id"] == ACME_DOMAIN


def test_every_region_has_its_own_address_and_the_home_region_its_base_url(estate):
    assert region_url(estate, "eu-de") == estate.url
    assert region_url(estate, "eu-nl") == estate.url + "/eu-nl"
    assert estate.emulator.url_of("eu-nl", "vbs") == estate.vbs_url + "/eu-nl"


def test_a_project_token_lists_every_region_in_its_catalog(estate):
    body = token(estate, "eu-nl", ESTATE_OPS, {"project": {"id": ACME["eu-nl_web"]}}).json()["token"]
    assert body["project"] == {
        "id": ACME["eu-nl_web"],
        "name": "eu-nl_web",
        "domain": {"id": ACME_DOMAIN, "name": "acme"},
    }
    cbr = next(entry for entry in body["catalog"] if entry["type"] == "cbr")
    assert {e["region_id"]: e["url"] for e in cbr["endpoints"]} == {
        "eu-de": "%s/v3/%s" % (estate.url, ACME["eu-nl_web"]),
        "eu-nl": "%s/eu-nl/v3/%s" % (estate.url, ACME["eu-nl_web"]),
    }


def test_a_token_works_in_the_region_of_its_iam_and_its_project_only(estate):
    nl_token = project_token(estate, "eu-nl", ACME["eu-nl_web"])
    nl_backups = "/v3/%s/backups" % ACME["eu-nl_web"]
    assert requests.get(region_url(estate, "eu-nl") + nl_backups, headers={"X-Auth-Token": nl_token}, timeout=5).ok
    elsewhere = requests.get(estate.url + nl_backups, headers={"X-Auth-Token": nl_token}, timeout=5)
    assert (elsewhere.status_code, elsewhere.json()["error_code"]) == (401, "APIG.0301")
    assert "issued for region eu-nl" in elsewhere.json()["error_msg"]
    # A token from eu-de's IAM for an eu-nl project is no good in eu-nl either (nor in eu-de: wrong region).
    de_token = project_token(estate, "eu-de", ACME["eu-nl_web"])
    for base in (estate.url, region_url(estate, "eu-nl")):
        assert requests.get(base + nl_backups, headers={"X-Auth-Token": de_token}, timeout=5).status_code == 401
    assert [(e["region"], e["status"]) for e in estate.requests()] == [
        ("eu-nl", 200),
        ("eu-de", 401),
        ("eu-de", 401),
        ("eu-nl", 401),
    ]


def test_a_domain_token_lists_the_users_projects_and_reaches_no_project_api(estate):
    response = token(estate, "eu-de", ESTATE_OPS, {"domain": {"name": "acme"}})
    assert response.status_code == 201
    body = response.json()["token"]
    assert body["domain"] == {"id": ACME_DOMAIN, "name": "acme"} and "project" not in body
    assert [entry["type"] for entry in body["catalog"]] == ["identity"]
    headers = {"X-Auth-Token": response.headers["X-Subject-Token"]}
    listed = requests.get(estate.url + "/v3/auth/projects", headers=headers, timeout=5).json()["projects"]
    assert sorted(p["name"] for p in listed) == sorted(ACME)
    by_name = {p["name"]: p for p in listed}
    assert by_name["eu-nl_web"]["parent_id"] == ACME["eu-nl"] and by_name["eu-nl"]["parent_id"] == ACME_DOMAIN
    assert {(p["domain_id"], p["enabled"], p["is_domain"]) for p in listed} == {(ACME_DOMAIN, True, False)}
    refused = requests.get(estate.url + "/v3/%s/backups" % ACME["eu-de_prod"], headers=headers, timeout=5)
    assert (refused.status_code, refused.json()["error_code"]) == (403, "APIG.0302")
    assert "scoped to a domain" in refused.json()["error_msg"]


@pytest.mark.parametrize(
    "scope, message",
    [
        ({"domain": {"name": "globex"}}, "not the user's domain"),
        ({"project": {"id": GLOBEX["eu-de_app"]}}, "no role in the project"),
        ({"project": {"id": "f" * 32}}, "does not exist"),
    ],
)
def test_iam_refuses_a_scope_outside_the_users_roles(estate, scope, message):
    response = token(estate, "eu-de", ESTATE_OPS, scope)
    assert response.status_code == 401 and message in response.json()["error"]["message"]


def test_a_user_with_one_role_lists_one_project_and_logs_in_nowhere_else(estate):
    assert token(estate, "eu-de", DR_OPS, {"project": {"id": ACME["eu-de_prod"]}}).status_code == 401
    headers = {"X-Auth-Token": project_token(estate, "eu-de", ACME["eu-de_dr"], user=DR_OPS)}
    listed = requests.get(estate.url + "/v3/auth/projects", headers=headers, timeout=5).json()["projects"]
    assert [p["id"] for p in listed] == [ACME["eu-de_dr"]]


def test_one_users_aksk_acts_in_each_of_its_projects_in_its_region(estate):
    for name in ("eu-de_prod", "eu-nl_web"):
        region = name.split("_", maxsplit=1)[0]
        url, headers = signed(estate, region, "/v3/%s/backups" % ACME[name], ACME[name])
        assert requests.get(url, headers=headers, timeout=5).status_code == 200
    # A project of another account, the X-Project-Id of another project, another region: refused.
    url, headers = signed(estate, "eu-de", "/v3/%s/backups" % GLOBEX["eu-de_app"], GLOBEX["eu-de_app"])
    assert requests.get(url, headers=headers, timeout=5).status_code == 403
    url, headers = signed(estate, "eu-de", "/v3/%s/backups" % ACME["eu-de_prod"], ACME["eu-de_dr"])
    assert requests.get(url, headers=headers, timeout=5).status_code == 403
    url, headers = signed(estate, "eu-de", "/v3/%s/backups" % ACME["eu-nl_web"], ACME["eu-nl_web"])
    assert requests.get(url, headers=headers, timeout=5).status_code == 401
    assert [(e["scope_project"], e["identity"], e["status"]) for e in estate.requests()] == [
        (ACME["eu-de_prod"], ESTATE_OPS[2], 200),
        (ACME["eu-nl_web"], ESTATE_OPS[2], 200),
        (None, ESTATE_OPS[2], 403),  # no role in globex's project: acting in none
        (ACME["eu-de_dr"], ESTATE_OPS[2], 403),  # acting in eu-de_dr, asking for eu-de_prod
        (ACME["eu-nl_web"], ESTATE_OPS[2], 401),
    ]


def test_a_users_aksk_lists_its_projects_in_every_region_and_its_domain(estate):
    url, headers = signed(estate, "eu-nl", "/v3/auth/projects")
    listed = requests.get(url, headers=headers, timeout=5).json()["projects"]
    assert sorted(p["id"] for p in listed) == sorted(ACME.values())
    url, headers = signed(estate, "eu-nl", "/v3/auth/domains")
    domains = requests.get(url, headers=headers, timeout=5).json()["domains"]
    assert [(d["id"], d["name"], d["enabled"]) for d in domains] == [(ACME_DOMAIN, "acme", True)]


def test_the_rate_limit_of_one_identity_spans_every_region_and_address(estate):
    estate.set_rate_limit(3)
    estate.emulator.limiter.clock = lambda: 0.0
    statuses = []
    for region, name in (("eu-de", "eu-de_prod"), ("eu-nl", "eu-nl_web"), ("eu-nl", "eu-nl_prod")):
        url, headers = signed(estate, region, "/v3/%s/backups" % ACME[name], ACME[name])
        statuses.append(requests.get(url, headers=headers, timeout=5).status_code)
    vbs_path = "/v2/%s/os-vendor-backup-sharing/detail" % ACME["eu-nl_web"]
    url, headers = signed(estate, "eu-nl", vbs_path, ACME["eu-nl_web"], listener="vbs")
    statuses.append(requests.get(url, headers=headers, timeout=5).status_code)
    url, headers = signed(estate, "eu-de", "/v3/%s/backups" % GLOBEX["eu-de_app"], GLOBEX["eu-de_app"], GLOBEX_OPS)
    statuses.append(requests.get(url, headers=headers, timeout=5).status_code)
    assert statuses == [200, 200, 200, 429, 200]


def test_a_backup_is_shared_within_its_region_only(estate):
    headers = {"X-Auth-Token": project_token(estate, "eu-de", ACME["eu-de_prod"])}
    members = estate.url + "/v3/%s/backups/%s/members" % (ACME["eu-de_prod"], WEB_01)
    refused = requests.post(members, json={"members": [ACME["eu-nl_dr"]]}, headers=headers, timeout=5)
    assert (refused.status_code, refused.json()["error_code"]) == (400, "BackupService.6704")
    assert requests.post(members, json={"members": [GLOBEX["eu-de_app"]]}, headers=headers, timeout=5).ok


def test_the_fixture_shares_inside_and_outside_the_estate(estate):
    members = estate.state.members
    assert members[WEB_01][ACME["eu-de_golden"]]["created_at"].startswith("2026-10-01")
    assert members[APP_01][GLOBEX["eu-de_app"]]["status"] == "pending"
    assert PARTNER in {dest for records in members.values() for dest in records}
    assert members[WEB_NL_01][ACME["eu-nl_dr"]]["status"] == "accepted"


# -- the official IAM client (huaweicloudsdkiam 3.1.219)


def iam_client(estate):
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        iam_sdk.IamClient.new_builder()
        .with_http_config(config)
        .with_credentials(GlobalCredentials(ESTATE_OPS[2], ESTATE_OPS[3], ACME_DOMAIN))
        .with_endpoints([estate.url])
        .build()
    )


def test_sdk_lists_the_auth_domains_of_an_aksk_user(estate):
    response = iam_client(estate).keystone_list_auth_domains(iam_sdk.KeystoneListAuthDomainsRequest())
    assert [(d.id, d.name) for d in response.domains] == [(ACME_DOMAIN, "acme")]


def test_sdk_lists_the_auth_projects_of_an_aksk_user(estate):
    # The SDK keeps only the host of an endpoint: it reaches the home region's address (no path prefix).
    response = iam_client(estate).keystone_list_auth_projects(iam_sdk.KeystoneListAuthProjectsRequest())
    assert sorted((p.name, p.domain_id, p.enabled) for p in response.projects) == sorted(
        (name, ACME_DOMAIN, True) for name in ACME
    )
    assert estate.requests()[-1]["auth_type"] == "aksk" and estate.requests()[-1]["region"] == "eu-de"


def password_login_request(password, scope):
    """The SDK's KeystoneCreateUserTokenByPassword request for estate-ops of acme."""
    user = iam_sdk.PwdPasswordUser(
        name="estate-ops", password=password, domain=iam_sdk.PwdPasswordUserDomain(name="acme")
    )
    identity = iam_sdk.PwdIdentity(methods=["password"], password=iam_sdk.PwdPassword(user=user))
    body = iam_sdk.KeystoneCreateUserTokenByPasswordRequestBody(auth=iam_sdk.PwdAuth(identity=identity, scope=scope))
    return iam_sdk.KeystoneCreateUserTokenByPasswordRequest(body=body)


@pytest.mark.parametrize("scope", ["domain", "project"])
def test_sdk_gets_a_password_token_scoped_to_the_domain_or_a_project(estate, scope):
    scope_model = (
        iam_sdk.AuthScope(domain=iam_sdk.AuthScopeDomain(name="acme"))
        if scope == "domain"
        else iam_sdk.AuthScope(project=iam_sdk.AuthScopeProject(id=ACME["eu-de_prod"]))
    )
    response = iam_client(estate).keystone_create_user_token_by_password(
        password_login_request("estate-pass", scope_model)
    )
    assert response.x_subject_token
    if scope == "domain":
        assert response.token.domain.id == ACME_DOMAIN and response.token.project is None
    else:
        assert response.token.project.id == ACME["eu-de_prod"]
        assert {e.region_id for s in response.token.catalog for e in s.endpoints} == {"eu-de", "eu-nl"}


def test_sdk_sees_a_refused_login_as_a_client_error(estate):
    request = password_login_request("wrong", iam_sdk.AuthScope(domain=iam_sdk.AuthScopeDomain(name="acme")))
    with pytest.raises(ClientRequestException) as refused:
        iam_client(estate).keystone_create_user_token_by_password(request)
    assert refused.value.status_code == 401


# -- the generator


def test_make_estate_builds_what_it_says():
    fixture = cbr_emulator.make_estate(projects=6, backups=10, shared=0.2, accounts=2)
    state = cbr_emulator.State(fixture)
    assert len(state.projects) == 12 and len(state.backups) == 120
    assert {p["region"] for p in state.projects.values()} == {"eu-de", "eu-nl"}
    assert sum(len(records) for records in state.members.values()) == 12 * 2
    for backup_id, records in state.members.items():
        owner = state.backups[backup_id]["project_id"]
        for dest in records:
            assert state.region_of(dest) == state.region_of(owner) and dest != owner
            assert state.projects[dest]["domain"] == state.projects[owner]["domain"]
    assert len(state.projects_of(("estate1", "ops1"))) == 6
    assert cbr_emulator.make_estate(projects=6, backups=10, shared=0.2, accounts=2) == fixture
