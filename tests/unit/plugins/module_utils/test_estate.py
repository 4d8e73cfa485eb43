# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where each region of an estate is (_estate.location), and a project's region from its name: no network."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError
from ansible_collections.cloudops.cbr.plugins.module_utils._estate import location, project_region, reachable
from ansible_collections.cloudops.cbr.plugins.module_utils._http import ApiSession

CATALOG = [
    {
        "type": kind,
        "endpoints": [
            {"interface": "public", "region_id": region, "url": "https://%s.%s.example/%s" % (host, region, path)}
            for region in ("eu-de", "eu-nl")
        ],
    }
    for kind, host, path in (
        ("identity", "iam", "v3"),
        ("cbr", "cbr", "v3/" + "a" * 32),
        ("vbsv2", "vbs", "v2/" + "b" * 32),
    )
]


def connection(**options):
    return resolve(dict(options, access_key="AK", secret_key="SK"), {})


@pytest.mark.parametrize(
    "name, region", [("eu-de", "eu-de"), ("eu-de_dr", "eu-de"), ("ap-southeast-1_a_b", "ap-southeast-1")]
)
def test_a_projects_region_is_its_name_up_to_the_first_underscore(name, region):
    assert project_region(name) == region


def test_the_catalog_gives_each_region_its_addresses():
    assert location(connection(), "eu-nl", CATALOG) == {
        "auth_url": "https://iam.eu-nl.example/v3",
        "endpoints": {"cbr": "https://cbr.eu-nl.example", "vbs": "https://vbs.eu-nl.example"},
    }


def test_an_option_naming_the_region_wins_over_the_catalog():
    given = connection(auth_url="https://id.{region}.corp/v3", endpoints={"cbr": "https://b.{region}.corp"})
    assert location(given, "eu-nl", CATALOG) == {
        "auth_url": "https://id.eu-nl.corp/v3",
        "endpoints": {"cbr": "https://b.eu-nl.corp", "vbs": "https://vbs.eu-nl.example"},
    }


def test_nothing_is_made_up_without_an_option_or_a_catalog():
    assert location(connection(region="eu-nl"), "eu-nl") == {"auth_url": None, "endpoints": {}}
    fixed = connection(endpoint="https://cbr.proxy.corp")
    assert location(fixed, "eu-nl") == {"auth_url": None, "endpoints": {"cbr": "https://cbr.proxy.corp"}}


@pytest.mark.parametrize(
    "options, message",
    [
        ({"auth_url": "https://iam.{region}.corp/v3"}, "auth_url names {region}: set region"),
        ({}, "auth_url or region is required to ask IAM which projects the credential reaches"),
        ({"region": "EU DE"}, "region must look like eu-de"),
    ],
)
def test_options_that_cannot_list_projects_fail_before_any_request(options, message):
    with pytest.raises(CbrConfigError) as failure:
        reachable(connection(**options))
    assert message in str(failure.value)


def test_a_token_without_auth_url_is_sent_to_no_preset_iam(monkeypatch):
    sent = []
    monkeypatch.setattr(ApiSession, "call", lambda *args, **kwargs: sent.append(args))
    with pytest.raises(CbrConfigError) as failure:
        reachable(resolve({"token": "a-token", "region": "eu-de"}, {}))
    assert "auth_url is required with a token" in str(failure.value)
    assert not sent


def test_a_password_without_a_project_needs_none_to_list_but_one_to_act():
    password = resolve({"username": "u", "password": "p", "domain_name": "acme", "auth_url": "https://iam.x/v3"}, {})
    assert password.problems(scoped=False) == []
    assert password.problems() == [
        "password authentication needs project_id or project_name (the identity comes from the task's options)"
    ]
