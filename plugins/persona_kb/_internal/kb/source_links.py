"""Where a persona's source file can be read online, derived from a site's repository settings.

Pure string logic (no MkDocs import): the MkDocs plugin passes ``repo_url`` and
``edit_uri`` from ``mkdocs.yml``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Hosts whose "edit" URLs have a "view" twin under the same path.
_EDIT_TO_VIEW = (("-/edit/", "-/blob/"), ("edit/", "blob/"), ("src/", "src/"))


def source_url_from_repo(repo_url: str | None, edit_uri: str | None, docs_dir: str) -> str | None:
    """The URL prefix under which the repository's files are browsable, or ``None``.

    MkDocs' ``edit_uri`` points at the docs folder in edit mode, for example
    ``edit/main/docs/``; persona files live beside the docs folder, so the prefix is
    the same URL in view mode with the docs folder removed:
    ``https://github.com/org/repo`` + ``edit/main/docs/`` →
    ``https://github.com/org/repo/blob/main/``. ``docs_dir`` is the docs folder
    relative to ``mkdocs.yml`` (usually ``docs``). Without a ``repo_url`` or an
    ``edit_uri`` there is nothing to derive from, and the result is ``None``.
    """
    if not repo_url or not edit_uri:
        return None
    if urlsplit(edit_uri).scheme:
        base = edit_uri
    else:
        base = repo_url.rstrip("/") + "/" + edit_uri.lstrip("/")
    if "?" in base or "#" in base:
        return None  # query-style edit URIs (e.g. Bitbucket's ?mode=edit) cannot be mapped
    base = base.rstrip("/") + "/"
    root = base[len(repo_url.rstrip("/")) + 1 :] if base.startswith(repo_url.rstrip("/")) else ""
    for edit, view in _EDIT_TO_VIEW:
        if root.startswith(edit):
            base = base[: len(base) - len(root)] + view + root[len(edit) :]
            break
    suffix = docs_dir.strip("/") + "/"
    if suffix != "/" and base.endswith("/" + suffix):
        base = base[: -len(suffix)]
    return base
