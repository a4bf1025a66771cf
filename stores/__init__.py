"""What the Rasa server loads from endpoints.yml: the tracker store, and speed-ups for Rasa.

Every Rasa server started with the project's endpoints.yml imports this package for its tracker
store, so this is also where the measured speed-ups of Rasa itself are installed (speedups.py,
action_calls.py, rasa_caches.py, dialogue_states.py, model_calls.py): they then apply to
`make run`, the tests, the benchmark and the containers alike.
"""

from stores import action_calls, dialogue_states, model_calls, rasa_caches, speedups

speedups.install()
action_calls.install()
rasa_caches.install()
dialogue_states.install()
model_calls.install()
