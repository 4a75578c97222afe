"""Link checks on a built MkDocs site, reported at the Markdown (or persona) ``path:line``.

- :mod:`.html`: read one page's links and anchors in one pass;
- :mod:`.site`: read ``mkdocs.yml`` and map built pages back to their Markdown;
- :mod:`.check`: resolve every link, fragment and asset of a built site;
- :mod:`.external`: check ``http(s)`` URLs (only on request);
- :mod:`.report`: place each problem on its Markdown or persona line;
- :mod:`.run`: all of it in one call, :func:`.run.check_links`.

Nothing is re-exported here, so that importing one module (the CLI's startup path)
does not import the others.
"""
