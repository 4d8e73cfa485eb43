# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Descriptions of the attributes every cloudops.cbr module declares; modules state the support level.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
"""

    ACTION_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/cloudops.cbr.cbr) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - cloudops.cbr.cbr
"""

    # The attributes block of every _info module: extends_documentation_fragment lists cloudops.cbr.attributes
    # (the descriptions) and cloudops.cbr.attributes.info_module (the support levels).
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: The module only reads, so check mode returns the same result.
  diff_mode:
    support: N/A
    details: The module changes nothing.
  platform:
    platforms: all
"""
