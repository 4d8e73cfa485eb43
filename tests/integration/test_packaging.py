# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What AWX and Automation Hub consume: the tarball, the execution environment, the changelog."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from ansible.plugins.loader import fragment_loader, module_loader
from ansible.utils.plugin_docs import get_plugin_docs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as galaxy:
    VERSION = yaml.safe_load(galaxy)["version"]
TARBALL = "cloudops-cbr-%s.tar.gz" % VERSION


def run(*command, cwd=None):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(out), REPO)
    return out / TARBALL


@pytest.fixture(scope="module")
def installed(tarball, tmp_path_factory):
    """The tarball installed offline (ansible-galaxy collection install), once for the tests that read it."""
    destination = tmp_path_factory.mktemp("installed")
    galaxy = os.path.join(BIN, "ansible-galaxy")
    run(galaxy, "collection", "install", "--force", "--offline", "-p", str(destination), str(tarball))
    return destination


def test_the_tarball_installs_offline_and_leaves_dev_files_out(installed):
    collection = installed / "ansible_collections" / "cloudops" / "cbr"
    assert (collection / "plugins" / "modules" / "cbr_share_member.py").is_file()
    assert (collection / "meta" / "execution-environment.yml").is_file()
    assert not (collection / ".ci").exists() and not (collection / "Makefile").exists()
    assert not (collection / "docs" / "sphinx").exists()
    assert (collection / "docs" / "docsite" / "extra-docs.yml").is_file()
    assert (collection / "extensions" / "awx" / "cbr_recipients_credential_type.yml").is_file()
    assert not (collection / "extensions" / "awx" / "configure_awx.yml").exists()  # needs awx.awx: run from the repo


def test_ansible_builder_sees_the_python_dependency(installed):
    report = run(os.path.join(BIN, "ansible-builder"), "introspect", str(installed))
    assert "requests>=2.25" in report and "cloudops.cbr" in report


def test_ansible_builder_creates_the_example_build_context(tarball, tmp_path):
    work = tmp_path / "ee"
    shutil.copytree(os.path.join(REPO, "examples", "execution-environment"), str(work))
    shutil.copy(str(tarball), str(work / "cloudops-cbr.tar.gz"))
    run(
        os.path.join(BIN, "ansible-builder"),
        "create",
        "-c",
        "context",
        "--output-filename",
        "Containerfile",
        cwd=str(work),
    )
    context = work / "context"
    containerfile = (context / "Containerfile").read_text()
    assert (context / "_build" / "collections" / "cloudops-cbr.tar.gz").is_file()
    assert "collections/cloudops-cbr.tar.gz" in (context / "_build" / "requirements.yml").read_text()
    assert "ansible-core==" in containerfile and "ansible-runner==" in containerfile


def test_the_execution_environment_takes_the_version_from_galaxy_yml_and_pins_what_it_installs():
    example = os.path.join(REPO, "examples", "execution-environment")
    for name in os.listdir(example):
        with open(os.path.join(example, name), encoding="utf-8") as handle:
            assert VERSION not in handle.read(), name
    with open(os.path.join(example, "execution-environment.yml"), encoding="utf-8") as handle:
        dependencies = yaml.safe_load(handle)["dependencies"]
    with open(os.path.join(REPO, ".ci", "requirements-demo.txt"), encoding="utf-8") as handle:
        demo_core = [line.strip() for line in handle if line.startswith("ansible-core==")]
    assert [dependencies["ansible_core"]["package_pip"]] == demo_core
    assert re.match(r"^ansible-runner==[0-9.]+$", dependencies["ansible_runner"]["package_pip"])


def test_the_galaxy_version_is_released_and_changelog_rst_is_what_antsibull_generates(tmp_path):
    with open(os.path.join(REPO, "changelogs", "changelog.yaml"), encoding="utf-8") as handle:
        releases = yaml.safe_load(handle)["releases"]
    assert VERSION in releases and releases[VERSION]["changes"]["release_summary"]
    copy = tmp_path / "collection"
    copy.mkdir()
    for name in ("galaxy.yml", "changelogs", "plugins", "roles", "meta", "CHANGELOG.rst"):
        source = os.path.join(REPO, name)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, str(copy / name))
    run(os.path.join(BIN, "antsibull-changelog"), "generate", cwd=str(copy))
    with open(os.path.join(REPO, "CHANGELOG.rst"), encoding="utf-8") as handle:
        assert (copy / "CHANGELOG.rst").read_text() == handle.read()
    changelog = (copy / "CHANGELOG.rst").read_text()
    for module in ("cbr_share_member", "cbr_share_member_info", "cbr_backup_share", "cbr_shared_backup_info"):
        assert "cloudops.cbr.%s" % module in changelog
    assert "v%s" % VERSION in changelog and "Breaking Changes" in changelog


def test_ansible_doc_text_output_keeps_every_resource_type_whole():
    """ansible-doc's text output drops "xx OS::" as if it were an RST directive; the docs must avoid that."""
    modules = [
        "cloudops.cbr." + name[:-3]
        for name in sorted(os.listdir(os.path.join(REPO, "plugins", "modules")))
        if name.endswith(".py")
    ]
    # what ansible-doc --json prints, read in this process the way ansible-doc reads it
    docs = [get_plugin_docs(module, "module", module_loader, fragment_loader, False) for module in modules]
    text = run(os.path.join(BIN, "ansible-doc"), *modules)
    values = set(re.findall(r"\b[A-Za-z]+(?:::[A-Za-z]+)+", json.dumps(docs)))
    assert "OS::Nova::Server" in values
    for value in values:
        tail = value.split("::", 1)[1]
        assert text.count(tail) == text.count(value) > 0, value


def test_pre_commit_runs_the_ruff_version_that_make_lint_installs():
    with open(os.path.join(REPO, ".ci", "requirements.txt"), encoding="utf-8") as handle:
        pinned = [line.strip() for line in handle if line.startswith("ruff==")]
    with open(os.path.join(REPO, ".pre-commit-config.yaml"), encoding="utf-8") as handle:
        hooks = [hook for repo in yaml.safe_load(handle)["repos"] for hook in repo["hooks"]]
    assert len(pinned) == 1 and hooks
    for hook in hooks:
        assert hook["additional_dependencies"] == pinned, hook["id"]


def galaxy_import(tmp_path, *flags):
    """.ci/galaxy-import with the project's importer config less ansible-doc and ansible-lint (make test runs those)."""
    config = tmp_path / "importer.cfg"
    with open(os.path.join(REPO, ".ci", "galaxy-importer.cfg"), encoding="utf-8") as handle:
        text = handle.read()
    config.write_text(
        text.replace("run_ansible_doc = true", "run_ansible_doc = false").replace(
            "run_ansible_lint = true", "run_ansible_lint = false"
        )
    )
    assert "run_ansible_doc = false" in config.read_text() and "run_ansible_lint = false" in config.read_text()
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), GALAXY_IMPORTER_CONFIG=str(config))
    command = [os.path.join(REPO, ".ci", "galaxy-import"), *flags]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)


def test_galaxy_import_refuses_the_real_tarball_while_galaxy_yml_names_no_repository(tmp_path):
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
        assert "repository" not in yaml.safe_load(handle)
    process = galaxy_import(tmp_path)
    assert process.returncode == 1, process.stdout + process.stderr
    assert "'repository' is required" in process.stdout
    assert "the real tarball" in process.stderr and "--pre-publication" in process.stderr
    assert "imports with no warning" not in process.stdout + process.stderr


def test_galaxy_import_checks_a_stand_in_copy_only_when_asked_and_says_so(tmp_path):
    process = galaxy_import(tmp_path, "--pre-publication")
    assert process.returncode == 0, process.stdout + process.stderr
    lines = process.stdout.splitlines()
    assert lines[0].startswith("galaxy-import: PRE-PUBLICATION MODE, asked for with --pre-publication")
    assert lines[-1].startswith("galaxy-import: PRE-PUBLICATION: cloudops-cbr-%s.tar.gz imports" % VERSION)
    assert "the real tarball does not import" in lines[-1]
    with open(os.path.join(REPO, "Makefile"), encoding="utf-8") as handle:
        makefile = handle.read()
    assert re.search(r"^test: .*\bgalaxy-import-pre-publication\b", makefile, re.M)
    assert ".ci/galaxy-import --pre-publication" in makefile


def test_the_docs_site_defines_every_environment_variable_the_modules_read():
    from ansible_collections.cloudops.cbr.plugins.module_utils import _sources

    read = [_sources.CLOUD_VARIABLE, _sources.CLOUD_FILE_VARIABLE, _sources.SECURE_FILE_VARIABLE] + [
        name for _family, names in _sources.ENVIRONMENT_FAMILIES for variables in names.values() for name in variables
    ]
    with open(os.path.join(REPO, "docs", "docsite", "config.yml"), encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    with open(os.path.join(REPO, "docs", "docsite", "rst", "environment_variables.rst"), encoding="utf-8") as handle:
        defined = re.findall(r"^\.\. envvar:: (\S+)$", handle.read(), re.M)
    assert len(read) == len(set(read)) >= 41
    # The inventory plugin's cache options (ansible-core's inventory_cache fragment) name these too.
    cache = ["ANSIBLE_CACHE_PLUGIN", "ANSIBLE_CACHE_PLUGIN_TIMEOUT", "ANSIBLE_CACHE_PLUGIN_CONNECTION"]
    cache.append("ANSIBLE_CACHE_PLUGIN_PREFIX")
    assert defined == config["envvar_directives"] == read + cache
    assert config["changelog"] == {"write_changelog": True}


def test_galaxy_s_docs_reach_every_guide_of_the_docs_site():
    """Galaxy renders the Markdown files of docs/; docs/guides.md names every guide extra-docs.yml puts on the site."""
    with open(os.path.join(REPO, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        guides = [name for section in yaml.safe_load(handle)["sections"] for name in section["toctree"]]
    rst = sorted(name[:-4] for name in os.listdir(os.path.join(REPO, "docs", "docsite", "rst")))
    assert sorted(guides) == rst
    with open(os.path.join(REPO, "docs", "guides.md"), encoding="utf-8") as handle:
        listed = re.findall(r"`docs/docsite/rst/(\w+)\.rst`", handle.read())
    assert listed == guides


def test_the_readme_lists_every_plugin_and_role():
    """Modules, filters (one documentation file each), any other plugin type and the roles, by FQCN."""
    names = []
    for kind in sorted(os.listdir(os.path.join(REPO, "plugins"))):
        if kind in ("module_utils", "doc_fragments", "action"):  # action plugins are documented as their module
            continue
        for name in sorted(os.listdir(os.path.join(REPO, "plugins", kind))):
            documented = name.endswith(".yml") if kind == "filter" else name.endswith(".py")
            if documented and name != "__init__.py":
                names.append(name.rsplit(".", 1)[0])
    names += sorted(os.listdir(os.path.join(REPO, "roles")))
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    assert "cbr_api_probe" in names and "sharing_audit_csv" in names and "share_and_accept" in names
    assert [name for name in names if not re.search(r"`(cloudops\.cbr\.)?%s`" % name, readme)] == []
