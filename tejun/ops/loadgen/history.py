"""Workflow histories written in bulk: the TransitionLog rows and audit events the engine would have left."""

from django.contrib.contenttypes.models import ContentType

from tejun.workflow.models import TransitionLog

from .common import Gen, fast


def add_steps(g: Gen, logs: list, obj, path) -> None:
    """`path`: (transition, actor, role, at, comment) in order, starting from the workflow's initial state."""
    model = type(obj)
    ct = ContentType.objects.get_for_model(model)
    state = model.workflow.initial
    for name, actor, role, at, comment in path:
        t = model.workflow.get(name)
        logs.append(TransitionLog(body=g.body, content_type=ct, object_id=str(obj.pk), transition=name,
                                  label=str(t.label), from_state=state, to_state=t.target, actor=actor,
                                  acting_role=role, comment=comment, data={}, at=at))
        g.event(at, actor, f"transition.{name}", model._meta.label, obj.pk, str(obj),
                {"state": t.target, "_transition": {"name": name, "role": role, "comment": comment}})
        state = t.target


def write_logs(g: Gen, logs: list) -> None:
    fast(TransitionLog, logs)
    g.counts["transition_logs"] = g.counts.get("transition_logs", 0) + len(logs)
