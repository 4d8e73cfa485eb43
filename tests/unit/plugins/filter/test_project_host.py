# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""project_host_auth: a project host's scope, its own identity taken whole, its location; localhost unchanged."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.cloudops.cbr.plugins.filter.project_host import project_host_auth

PROJECT, OTHER = "0" * 31 + "1", "0" * 31 + "2"
PASSWORD = {"auth_url": "https://iam/v3", "username": "ops", "password": "p", "domain_name": "acme"}


def test_a_host_without_a_project_keeps_the_play_options():
    assert project_host_auth(PASSWORD, {"inventory_hostname": "localhost"}) == PASSWORD
    assert project_host_auth({}, {}) == {}


def test_a_project_host_names_only_its_scope():
    assert project_host_auth({}, {"cbr_project_id": PROJECT}) == {"project_id": PROJECT}
    assert project_host_auth(PASSWORD, {"cbr_project_id": PROJECT}) == dict(PASSWORD, project_id=PROJECT)
    assert project_host_auth({"project_id": PROJECT}, {"cbr_project_id": PROJECT}) == {"project_id": PROJECT}


@pytest.mark.parametrize("scope", [{"project_id": OTHER}, {"project_name": "eu-de_dr"}])
def test_options_that_name_another_scope_fail_rather_than_act_for_another_project(scope):
    with pytest.raises(AnsibleFilterError, match="leave project_id and project_name out"):
        project_host_auth(dict(PASSWORD, **scope), {"cbr_project_id": PROJECT})


def test_the_host_identity_replaces_the_play_identity_whole():
    keys = {"access_key": "AK", "secret_key": "SK"}
    result = project_host_auth(PASSWORD, {"cbr_project_id": PROJECT, "cbr_auth": keys})
    assert result == {"auth_url": "https://iam/v3", "access_key": "AK", "secret_key": "SK", "project_id": PROJECT}


@pytest.mark.parametrize("identity", [{"project_id": OTHER, "access_key": "AK"}, {"region": "eu-nl"}, "AK:SK"])
def test_a_host_identity_with_anything_but_identity_options_fails_without_showing_values(identity):
    with pytest.raises(AnsibleFilterError, match="cbr_auth") as error:
        project_host_auth({}, {"cbr_project_id": PROJECT, "cbr_auth": identity})
    assert "AK" not in str(error.value)


def test_the_host_location_replaces_where_the_services_are_and_keeps_tls_settings():
    play = dict(PASSWORD, endpoint="https://cbr.eu-de", ca_cert="/ca.pem")
    host = {"cbr_project_id": PROJECT, "cbr_region": "eu-nl", "cbr_auth_url": "https://iam.eu-nl/v3"}
    result = project_host_auth(play, host)
    assert (result["region"], result["auth_url"], result["ca_cert"]) == ("eu-nl", "https://iam.eu-nl/v3", "/ca.pem")
    assert "endpoint" not in result and result["username"] == "ops"
