"""The Redis tracker and lock stores endpoints.yml names.

Every Rasa server started with the project's endpoints.yml imports this package for its
stores, so importing it also installs the speed-ups of Rasa itself (`addons.speedups`): they
then apply to `make run`, the tests, the benchmark and the containers alike.
"""

import addons.speedups  # noqa: F401  (installs the speed-ups on import)
