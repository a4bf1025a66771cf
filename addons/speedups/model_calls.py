"""Rasa 3.6's TensorFlow predictions (DIET, for every message) called without tf.function's
per-call argument handling.

Rasa traces a model's prediction step once, as a tf.function with a fixed input signature,
and then calls that tf.function with a tuple of a few dozen numpy arrays. py-spy on a
prediction (benchmarks/README.md): two thirds of a TensorFlow model's time went to tf.function
matching, casting and converting the arguments, not to the model. The graph Rasa traced is
taken once as its concrete function and called with the arrays as tensors: the same graph,
the same inputs, the same outputs (parsing a message 5.1 -> 4.4 ms; TEDPolicy, when it was
configured, 5.3 -> 4.2 ms per prediction). A batch whose dtypes or feature sizes differ from
the traced ones takes Rasa's own path (which refuses it as before).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

_rasa_predict = RasaModel._rasa_predict

# A batch's shape as the traced signature fixes it: each array's dtype, rank and, above
# rank 1, last dimension (Rasa's `_dynamic_signature` leaves every other dimension open).
Layout = tuple[tuple[np.dtype, int, int], ...]


def layout(batch_in: tuple[np.ndarray, ...]) -> Layout:
    return tuple(
        (array.dtype, array.ndim, array.shape[-1] if array.ndim > 1 else -1) for array in batch_in
    )


def rasa_predict(self: RasaModel, batch_in: tuple[np.ndarray, ...]) -> dict[str, Any]:
    """RasaModel._rasa_predict, calling the traced graph directly once it exists."""
    traced = getattr(self, "_traced_predict", None)
    if traced is None or self._run_eagerly:
        outputs: dict[str, Any] = _rasa_predict(self, batch_in)
        if self._tf_predict_step is not None and not self._run_eagerly:
            self._traced_predict = (
                self._tf_predict_step.get_concrete_function(),
                layout(batch_in),
            )
        return outputs
    concrete, traced_layout = traced
    if layout(batch_in) != traced_layout:
        return _rasa_predict(self, batch_in)  # type: ignore[no-any-return]
    tensors = [tf.constant(array) for array in batch_in]
    outputs = tf_utils.sync_to_numpy_or_python_type(
        concrete._call_flat(tensors, concrete.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    RasaModel._rasa_predict = rasa_predict
