"""Application YAML tags (``!ENV``, ``!!python/name:…``, ``!reference``) read as data.

``mkdocs.yml``, GitLab CI and Home Assistant files are full of tags that ``safe_load``
refuses. persona-kb never constructs them: a tagged node is read as the plain string,
list or mapping it tags, so the document stays readable and nothing is executed.
"""

from __future__ import annotations

import yaml


def plain_value(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> object:
    """A multi-constructor: the tagged node as a plain scalar, list or mapping."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    assert isinstance(node, yaml.MappingNode)  # every node is one of the three
    return loader.construct_mapping(node, deep=True)
