# Copyright (c) Ansible Project; cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Created with antsibull-docs 2.28.0

# This file only contains a selection of the most common options. For a full list see the
# documentation:
# http://www.sphinx-doc.org/en/master/config

project = "cloudops.cbr"
copyright = "2026, cloudops.cbr contributors"

title = "cloudops.cbr documentation"
html_title = "cloudops.cbr documentation"
html_short_title = "cloudops.cbr"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx", "sphinx_antsibull_ext"]

pygments_style = "ansible"

highlight_language = "YAML+Jinja"

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

# See https://www.sphinx-doc.org/en/master/usage/extensions/intersphinx.html#confval-intersphinx_mapping for the syntax
# The site builds offline: no inventories are fetched. References to other collections stay plain text.
intersphinx_mapping = {}

default_role = "any"

nitpicky = True

# Every broken reference fails the build. The module pages' "Common return values" link resolves to this
# site's own page (rst/common_return_values.rst). Left are two pages of the Ansible docs that antsibull-docs'
# generated text names (the environment variable index; "has a corresponding action plugin") and intersphinx
# would resolve online: they render as plain text.
nitpick_ignore = [("std:ref", "ansible_configuration_settings"), ("std:ref", "action_plugins")]
