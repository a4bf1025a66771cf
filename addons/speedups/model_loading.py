"""Rasa 3.6's TensorFlow models (DIET) loaded for predicting only, without a training step.

`RasaModel.load` builds a model's variables by training it on one example, then reads the saved
weights over them. Training creates Adam's two slots for every weight and traces the training
graph: DIET's checkpoint holds 35.7 MB of weights and 71.5 MB of those slots, and all of it,
gradients and the training graph included, stayed in every Rasa server although a served model
never trains. Here, when the model is loaded to predict (not to be fine-tuned), the weights are
read first and the one prediction Rasa makes anyway creates the variables the prediction needs,
each taking its saved value as it is created (TensorFlow's deferred restoration). The optimizer's
saved slots are left unread. Fine-tuning (`rasa train --finetune`) takes Rasa's own path.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

_rasa_load = RasaModel.load.__func__


def load(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """RasaModel.load without the training step when the model will only predict."""
    if finetune_mode or predict_data_example is None:
        return _rasa_load(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
            *args, **kwargs,
        )  # fmt: skip
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    # The optimizer is never used; compiling sets up what Keras expects of a model that predicts.
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    status = model.load_weights(model_file_name)
    model.run_inference(predict_data_example)
    # Every variable the prediction uses has its saved value; the optimizer's stay unread.
    status.assert_existing_objects_matched()
    return model


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    RasaModel.load = classmethod(load)
