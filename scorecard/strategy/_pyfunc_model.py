"""MLflow "models from code" entry point of a :class:`~scorecard.strategy.DecisionModel`.

MLflow copies this file into the logged model and runs it when the model is
loaded; it declares the pyfunc (:class:`~scorecard.strategy.serving.DecisionModelPyfunc`),
which rebuilds the decision model from the JSON artifact
``decision_model.json``. Nothing is pickled. The package never imports this
file itself.
"""

import mlflow

from scorecard.strategy.serving import DecisionModelPyfunc

mlflow.models.set_model(DecisionModelPyfunc())
