# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cbr_projects inventory plugin against the estate emulator (two regions, two accounts): hosts, groups, host
variables and the cache for each credential form and source; filters that match nothing fail; no secret in the output
or the cache; a playbook over the inventory acts in each project. The plugin runs in this process the way
ansible-inventory runs it; ansible-inventory itself where the command line is the point (the cache between runs, the
output of a refused login), ansible-playbook for the play over the inventory."""

import json

import pytest
import yaml
from ansible.plugins.loader import fragment_loader, inventory_loader
from ansible.utils.plugin_docs import get_plugin_docs

from estate_ids import ACME, ACME_DOMAIN, ESTATE_OPS, GLOBEX, GLOBEX_OPS, region_url  # pylint: disable=import-error
from runners import (  # pylint: disable=import-error
    inventory_in_process,
    project_hosts_play,
    run_inventory,
    run_playbook,
)

SECRETS = ("estate-pass", ESTATE_OPS[3], "globex-pass", GLOBEX_OPS[3])
ACME_HOSTS = sorted(ACME)
PLAY_HOSTS = ["eu-de", "eu-de_prod", "eu-nl", "eu-nl_prod"]


def password_options(estate):
    return {"auth_url": estate.url + "/v3", "username": "estate-ops", "password": "estate-pass", "domain_name": "acme"}


def aksk_options(estate, user=ESTATE_OPS):
    """AK/SK with each region's addresses named by {region} (the emulator's path prefixes)."""
    return {
        "access_key": user[2],
        "secret_key": user[3],
        "auth_url": estate.url + "/{region}/v3",
        "region": "eu-de",
        "endpoints": {"cbr": estate.url + "/{region}", "vbs": estate.vbs_url + "/{region}"},
    }


def write_config(tmp_path, options, name="estate"):
    path = tmp_path / ("%s.cbr_projects.yml" % name)
    path.write_text(yaml.safe_dump(dict({"plugin": "cloudops.cbr.cbr_projects"}, **options)))
    return path


def inventory(tmp_path, options, env=None, name="estate"):
    messages, parsed = inventory_in_process(write_config(tmp_path, options, name), env=env)
    assert parsed is not None, messages
    assert not [secret for secret in SECRETS if secret in messages + json.dumps(parsed)]
    return parsed


def hosts_of(parsed, group="all"):
    if group == "all":
        return sorted(parsed["_meta"]["hostvars"])
    return sorted(parsed.get(group, {}).get("hosts", []))


def assert_acme_estate(parsed, estate, endpoints_known, templated=False):
    """The 8 projects of acme, grouped; eu-nl_web's variables. With the {region} template, the home region's
    addresses carry its prefix too (the emulator serves both)."""
    assert hosts_of(parsed) == ACME_HOSTS
    assert hosts_of(parsed, "region_eu_de") == sorted(n for n in ACME if n.startswith("eu-de"))
    assert hosts_of(parsed, "region_eu_nl") == sorted(n for n in ACME if n.startswith("eu-nl"))
    assert hosts_of(parsed, "domain_acme") == ACME_HOSTS
    web = parsed["_meta"]["hostvars"]["eu-nl_web"]
    assert web == {
        "cbr_project_id": ACME["eu-nl_web"],
        "cbr_project_name": "eu-nl_web",
        "cbr_region": "eu-nl",
        "cbr_domain_id": ACME_DOMAIN,
        "cbr_domain_name": "acme",
        "cbr_auth_url": region_url(estate, "eu-nl") + "/v3",
        "cbr_endpoints": (
            {"cbr": region_url(estate, "eu-nl"), "vbs": region_url(estate, "eu-nl", "vbs")} if endpoints_known else {}
        ),
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
    }
    home = estate.url + ("/eu-de" if templated else "")
    assert parsed["_meta"]["hostvars"]["eu-de_prod"]["cbr_auth_url"] == home + "/v3"


def test_a_password_lists_every_project_of_the_users_account_in_every_region(estate, tmp_path):
    parsed = inventory(tmp_path, password_options(estate))
    # A domain-scoped token: its catalog names each region's IAM, not the services (the modules log in themselves).
    assert_acme_estate(parsed, estate, endpoints_known=False)
    logins = [e for e in estate.requests(api_only=False) if e["path"] == "/v3/auth/tokens"]
    assert [(e["scope_project"], e["status"]) for e in logins] == [(None, 201)]
    assert [(e["path"], e["identity"]) for e in estate.requests()] == [("/v3/auth/projects", "estate-ops")]


def test_a_password_scoped_to_a_project_gives_each_region_its_catalog_endpoints(estate, tmp_path):
    parsed = inventory(tmp_path, dict(password_options(estate), project_id=ACME["eu-de_dr"]))
    assert_acme_estate(parsed, estate, endpoints_known=True)


def test_aksk_lists_the_users_projects_with_the_region_template(estate, tmp_path):
    parsed = inventory(tmp_path, aksk_options(estate))
    assert_acme_estate(parsed, estate, endpoints_known=True, templated=True)
    assert [(e["path"], e["auth_type"], e["region"]) for e in estate.requests()] == [
        ("/v3/auth/projects", "aksk", "eu-de"),
        ("/v3/auth/domains", "aksk", "eu-de"),
    ]


def test_a_cloud_of_clouds_yaml_gives_the_credential(estate, tmp_path):
    options = aksk_options(estate)
    clouds = {
        "clouds": {
            "acme": {
                "auth": {"ak": options["access_key"], "sk": options["secret_key"], "auth_url": options["auth_url"]},
                "region_name": "eu-de",
                "cbr_endpoint_override": options["endpoints"]["cbr"],
                "vbs_endpoint_override": options["endpoints"]["vbs"],
            }
        }
    }
    (tmp_path / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    parsed = inventory(tmp_path, {"cloud": "acme"}, env={"OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml")})
    assert_acme_estate(parsed, estate, endpoints_known=True, templated=True)


def test_the_environment_gives_the_credential(estate, tmp_path):
    env = {
        "OS_AUTH_URL": estate.url + "/v3",
        "OS_USERNAME": "estate-ops",
        "OS_PASSWORD": "estate-pass",
        "OS_USER_DOMAIN_NAME": "acme",
    }
    parsed = inventory(tmp_path, {}, env=env)
    assert_acme_estate(parsed, estate, endpoints_known=False)


def test_filters_by_region_and_name_patterns(estate, tmp_path):
    options = dict(
        password_options(estate),
        regions=["eu-nl"],
        project_names=["*_prod", "*_dr", "eu-nl_w*"],
        exclude_project_names=["eu-nl_dr"],
    )
    assert hosts_of(inventory(tmp_path, options)) == ["eu-nl_prod", "eu-nl_web"]


@pytest.mark.parametrize(
    "option, value",
    [
        ("regions", ["eu-de", "eu-xx"]),
        ("project_names", ["*_prod", "*_prd"]),
        ("exclude_project_names", ["eu-de_dr", "eu-de_drr"]),
    ],
)
def test_a_filter_entry_that_matches_nothing_fails_the_inventory(estate, tmp_path, option, value):
    messages, parsed = inventory_in_process(write_config(tmp_path, dict(password_options(estate), **{option: value})))
    assert parsed is None
    assert "%s: %s matched no project" % (option, value[-1]) in messages


def test_a_refused_login_fails_the_inventory_without_the_password(estate, tmp_path):
    process, _parsed = run_inventory(write_config(tmp_path, dict(password_options(estate), password="wrong-pass")))
    assert process.returncode != 0 and "IAM refused the login" in process.stderr
    assert "wrong-pass" not in process.stdout + process.stderr


def test_constructed_options_compose_groups_and_keyed_groups(estate, tmp_path):
    options = dict(
        password_options(estate),
        compose={"project_kind": "cbr_project_name.split('_')[-1]"},
        groups={"production": "cbr_project_name.endswith('_prod')"},
        keyed_groups=[{"key": "project_kind", "prefix": "kind"}],
        strict=True,
    )
    parsed = inventory(tmp_path, options)
    assert parsed["_meta"]["hostvars"]["eu-de_dr"]["project_kind"] == "dr"
    assert hosts_of(parsed, "production") == ["eu-de_prod", "eu-nl_prod"]
    assert hosts_of(parsed, "kind_dr") == ["eu-de_dr", "eu-nl_dr"]
    bad = dict(options, compose={"broken": "no_such_variable + 1"})
    assert inventory_in_process(write_config(tmp_path, bad))[1] is None


def test_the_cache_answers_the_second_run_and_holds_no_secret(estate, tmp_path):
    """The first and third runs in this process, the second through ansible-inventory: the cache outlives a run."""
    cache_dir = tmp_path / "cache"
    options = dict(
        aksk_options(estate), cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(cache_dir)
    )
    first = inventory(tmp_path, options)
    sent = len(estate.requests())
    assert sent == 2
    process, second = run_inventory(write_config(tmp_path, options))
    assert process.returncode == 0, process.stderr
    assert not [secret for secret in SECRETS if secret in process.stdout + process.stderr]
    assert second == first and len(estate.requests()) == sent
    cached = "".join(path.read_text() for path in cache_dir.iterdir())
    assert ACME["eu-nl_web"] in cached and not [secret for secret in SECRETS if secret in cached]
    assert ESTATE_OPS[2] not in cached  # the access key id only as part of a hash of the cache key
    # Another identity, same configuration file: its own cache entry, its own projects.
    other = inventory(tmp_path, dict(options, access_key=GLOBEX_OPS[2], secret_key=GLOBEX_OPS[3]))
    assert hosts_of(other) == sorted(GLOBEX) and len(estate.requests()) == sent + 2


def test_two_accounts_in_one_inventory_need_host_names_that_cannot_collide(estate, tmp_path):
    acme = write_config(tmp_path, aksk_options(estate), "acme")
    globex = write_config(tmp_path, aksk_options(estate, GLOBEX_OPS), "globex")
    messages, parsed = inventory_in_process(acme, globex)
    assert parsed is None and "host eu-de is already project %s" % ACME["eu-de"] in messages
    for path in (acme, globex):
        config = yaml.safe_load(path.read_text())
        path.write_text(yaml.safe_dump(dict(config, hostname="domain_and_name")))
    messages, parsed = inventory_in_process(acme, globex)
    assert parsed is not None, messages
    assert hosts_of(parsed) == sorted(["acme." + n for n in ACME] + ["globex." + n for n in GLOBEX])
    assert parsed["_meta"]["hostvars"]["globex.eu-de"]["cbr_project_id"] == GLOBEX["eu-de"]


@pytest.mark.parametrize("credential", ["aksk", "password"])
def test_a_play_over_the_inventory_acts_in_each_project_with_forks(estate, tmp_path, credential):
    """Each host reads its own project's backups, in its region, with the play's identity (from the environment).
    Four hosts: a region's own project and another in each region (test_estate_playbooks.py plays over all 12)."""
    if credential == "aksk":
        options = aksk_options(estate)
        env = {"OS_ACCESS_KEY": options.pop("access_key"), "OS_SECRET_KEY": options.pop("secret_key")}
    else:
        options = {"auth_url": estate.url + "/v3"}
        env = {"OS_USERNAME": "estate-ops", "OS_PASSWORD": "estate-pass", "OS_USER_DOMAIN_NAME": "acme"}
    config = write_config(tmp_path, dict(options, project_names=PLAY_HOSTS))
    playbook = tmp_path / "estate.yml"
    task = {"name": "Read the project's backups", "cloudops.cbr.cbr_backup_info": {}}
    playbook.write_text(yaml.safe_dump(project_hosts_play([task])))
    estate.clear_log()
    result = run_playbook(playbook, inventory=config, forks=4, env=dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED="true"))
    assert result.rc == 0, result.output
    assert "ok=1" in result.stdout and "failed=0" in result.stdout
    backups = [e for e in estate.requests() if e["path"].endswith("/backups")]
    assert sorted((e["scope_project"], e["region"], e["status"]) for e in backups) == sorted(
        (ACME[name], name.split("_", maxsplit=1)[0], 200) for name in PLAY_HOSTS
    )
    assert all(e["path"] == "/v3/%s/backups" % e["scope_project"] for e in backups)
    assert not [secret for secret in SECRETS if secret in result.output]


def test_the_plugin_documents_itself():
    """The documentation ansible-doc shows, read the way ansible-doc reads it (doc fragments included)."""
    doc = get_plugin_docs("cloudops.cbr.cbr_projects", "inventory", inventory_loader, fragment_loader, False)[0]
    assert doc["version_added"] == "1.1.0"
    wanted = {"regions", "project_names", "exclude_project_names", "hostname", "cache", "keyed_groups", "cloud"}
    assert wanted <= set(doc["options"])
