"""The example checker: select code blocks, run them isolated, report at the source line.

Core only: nothing here imports MkDocs or pytest. The pytest plugin and the
``persona-kb examples`` CLI are thin adapters over
[`check_examples`][persona_kb._internal.checks.examples.runner.check_examples] and
[`ExampleRunner`][persona_kb._internal.checks.examples.runner.ExampleRunner].
"""
