# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_endpoints: the public endpoints per service and region, service roots, the token catalog."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._endpoints import (
    catalog_endpoint,
    preset_endpoint,
    service_root,
)


@pytest.mark.parametrize(
    ("service", "region", "url"),
    [
        ("cbr", "eu-de", "https://cbr.eu-de.otc.t-systems.com"),
        ("cbr", "eu-nl", "https://cbr.eu-nl.otc.t-systems.com"),
        ("cbr", "eu-ch2", "https://cbr.eu-ch2.sc.otc.t-systems.com"),
        ("cbr", "eu-west-101", "https://cbr.eu-west-101.myhuaweicloud.com"),
        ("cbr", "ap-southeast-1", "https://cbr.ap-southeast-1.myhuaweicloud.com"),
        ("iam", "eu-de", "https://iam.eu-de.otc.t-systems.com"),
        ("iam", "eu-ch2", "https://iam-pub.eu-ch2.sc.otc.t-systems.com"),
        ("iam", "eu-west-101", "https://iam.eu-west-101.myhuaweicloud.eu"),
        ("iam", "cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com"),
        ("vbs", "eu-de", "https://vbs.eu-de.otc.t-systems.com"),
        ("vbs", "eu-nl", "https://vbs.eu-nl.otc.t-systems.com"),
        ("vbs", "eu-west-101", "https://vbs.eu-west-101.myhuaweicloud.eu"),
    ],
)
def test_presets_per_service_and_region(service, region, url):
    assert preset_endpoint(service, region) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://cbr.eu-de.otc.t-systems.com/v3/$(tenant_id)s",
        "https://cbr.eu-de.otc.t-systems.com/v3/%(project_id)s",
        "https://cbr.eu-de.otc.t-systems.com/v3/%(tenant_id)s",
        "https://cbr.eu-de.otc.t-systems.com/v3/{project_id}",
        "https://cbr.eu-de.otc.t-systems.com/v3/0761a1f0e5b34c9b8c2f0f0a7d1e0001/",
        "https://cbr.eu-de.otc.t-systems.com/v3",
        "https://cbr.eu-de.otc.t-systems.com/V1.0/",
        "https://cbr.eu-de.otc.t-systems.com",
    ],
)
def test_service_root_strips_every_template_suffix(url):
    assert service_root(url) == "https://cbr.eu-de.otc.t-systems.com"


def test_catalog_endpoint_picks_the_public_url_of_the_region_and_the_service():
    catalog = [
        {
            "type": "cbr",
            "endpoints": [
                {"interface": "internal", "region_id": "eu-de", "url": "https://internal"},
                {"interface": "public", "region_id": "eu-nl", "url": "https://nl"},
                {"interface": "public", "region_id": "eu-de", "url": "https://de"},
            ],
        },
        {"type": "volume-backup", "endpoints": [{"interface": "public", "region_id": "eu-de", "url": "https://vb"}]},
        {"type": "vbsv2", "endpoints": [{"interface": "public", "region_id": "eu-de", "url": "https://vbs"}]},
    ]
    assert catalog_endpoint(catalog, "cbr", "eu-de") == "https://de"
    assert catalog_endpoint(catalog, "cbr") == "https://nl"
    assert catalog_endpoint(catalog, "vbs", "eu-de") == "https://vbs"
    assert catalog_endpoint(catalog[:2], "vbs", "eu-de") == "https://vb"
    assert catalog_endpoint(catalog, "cbr", "ap-southeast-1") is None
    assert catalog_endpoint(None, "cbr") is None
