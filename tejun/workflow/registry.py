"""Models run by the workflow engine, so "my tasks" can look through all of them."""

TASK_MODELS: list = []


def register(model, *, title, select_related=("requester",)):
    TASK_MODELS.append((model, title, select_related))
    return model
