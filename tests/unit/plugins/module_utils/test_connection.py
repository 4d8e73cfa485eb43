# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_connection without the network: validation whatever the source, the credential, endpoints per service."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect, resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError

OWNER = "0761a1f0e5b34c9b8c2f0f0a7d1e0001"


def resolved(params, environ=None):
    return resolve(params, environ or {})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"token": "t", "project_id": OWNER, "endpoint": "http://[abc"}, "endpoint must be an http:// or https:// URL"),
        ({"token": "t", "project_id": OWNER, "endpoint": "cbr.example.com"}, "endpoint must be an http"),
        ({"token": "t", "project_id": OWNER, "endpoint": "https://h:99999"}, "endpoint must be an http"),
        ({"token": "t", "project_id": OWNER, "endpoint": "https://h/?x=1"}, "must not have a query"),
        ({"token": "t", "project_id": OWNER, "endpoints": {"ecs": "https://h"}}, "endpoints: unknown service 'ecs'"),
        ({"token": "t", "project_id": OWNER, "endpoints": {"vbs": "vbs.example"}}, "endpoints.vbs must be an http"),
        ({"token": "t", "project_id": OWNER, "region": "eu-de.evil.com/x"}, "region must look like eu-de"),
        ({"token": "t", "project_id": OWNER, "region": "eu-de", "ca_cert": "/no/such.pem"}, "ca_cert must be a CA"),
        ({"token": "t\r\nX-Evil: 1", "project_id": OWNER, "region": "eu-de"}, "token must be one word"),
        ({"token": "", "project_id": OWNER, "region": "eu-de"}, "no credentials"),
        ({}, "no credentials"),
        ({"access_key": "AK", "region": "eu-de", "project_id": OWNER}, "AK/SK authentication needs secret_key"),
        ({"username": "u", "password": "p"}, "password authentication needs domain_name"),
        ({"username": "u", "password": "p", "domain_name": "d", "project_id": OWNER}, "needs auth_url"),
        ({"username": "u", "password": "p", "domain_name": "d", "region": "eu-de"}, "needs project_id or project_name"),
        ({"token": "t", "region": "eu-de", "project_name": "eu-de"}, "project_id is required with token"),
        ({"access_key": "a", "secret_key": "s", "project_id": OWNER}, "endpoint, endpoints.cbr or region is required"),
    ],
)
def test_problems_are_found_before_any_request(params, message):
    problems = resolved(params).problems()
    assert any(message in problem for problem in problems), problems
    with pytest.raises(CbrConfigError) as failure:
        connect(resolved(params))
    assert message in str(failure.value)


def test_credentials_precedence_is_token_then_aksk_then_password():
    every = {"token": "t", "access_key": "a", "secret_key": "s", "username": "u", "password": "p", "domain_name": "d"}
    assert resolved(every).credential().kind == "token"
    assert resolved(dict(every, token=None)).credential().kind == "aksk"
    assert resolved(dict(every, token=None, access_key=None, secret_key=None)).credential().kind == "password"


def test_every_secret_in_use_is_listed_for_no_log():
    connection = resolved({"access_key": "a", "secret_key": "s", "security_token": "st", "project_id": OWNER})
    assert sorted(connection.secrets()) == ["s", "st"]


def test_a_module_endpoint_is_for_its_own_service_only():
    connection = resolved({"token": "t", "project_id": OWNER, "endpoint": "https://cbr.x", "region": "eu-de"})
    assert connection.endpoint("cbr", own_service="cbr") == "https://cbr.x"
    assert connection.endpoint("vbs", own_service="cbr") == "https://vbs.eu-de.otc.t-systems.com"
    both = resolved({"endpoints": {"cbr": "https://c", "vbs": "https://v"}, "endpoint": "https://own"})
    assert both.endpoint("vbs", own_service="vbs") == "https://own"
    assert both.endpoint("vbs", own_service="cbr") == "https://v"


SWISS_AKSK = {"access_key": "AK", "secret_key": "SK", "project_id": "a" * 32, "region": "eu-ch2"}


@pytest.mark.parametrize("service", ["cbr", "vbs"])
def test_a_swiss_service_at_its_unconfirmed_preset_warns_once_connected(service):
    connection = resolve(SWISS_AKSK, {})
    assert connection.warnings == []
    connect(connection, service)
    assert connection.warnings == [
        "the %s endpoint https://%s.eu-ch2.sc.otc.t-systems.com follows the region's pattern, which no public source "
        "confirms for eu-ch2: if it fails, set endpoints.%s (or endpoint) to the address your cloud documents, or log "
        "in with a password so that the token catalog names it" % (service, service, service)
    ]


@pytest.mark.parametrize(
    "options, catalog",
    [
        ({"endpoint": "https://cbr.eu-ch2.sc.otc.t-systems.com"}, None),  # named by the user, even as the preset
        ({"endpoints": {"cbr": "https://cbr.example"}}, None),
        ({"region": "eu-de"}, None),  # a documented preset
        ({}, [{"type": "cbr", "endpoints": [{"interface": "public", "region_id": "eu-ch2", "url": "https://b.ch"}]}]),
    ],
)
def test_no_warning_where_the_user_the_catalog_or_a_source_names_the_host(options, catalog):
    connection = resolve(dict(SWISS_AKSK, **options), {})
    assert connection.unconfirmed_preset_warning("cbr", catalog) is None
