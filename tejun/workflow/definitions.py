"""How a request or report declares its states and transitions."""

from dataclasses import dataclass, field

REQUESTER = "requester"  # pseudo-role: the person who filed the request


@dataclass(frozen=True)
class Transition:
    name: str                      # code name, also the API verb: approve, send_back, ...
    label: str                     # Japanese button label (lazy translation)
    source: tuple[str, ...]        # states it may start from
    target: str
    actors: tuple[str, ...]        # role keys, or REQUESTER
    decision: bool = False         # a decision (決裁): the requester may never make it on their own request
    deputy_roles: tuple[str, ...] = ()  # 代決: these roles may decide when no principal of `actors` is present
    not_requester: bool = False    # a confirmation that must be made by someone other than the requester
    required: tuple[str, ...] = ()  # data fields that must be given
    comment_required: bool = False
    style: str = "primary"          # how the button looks: primary, secondary, danger
    awaited: bool = True            # False: possible, but nobody is waited on for it (not a task, no notice),
                                    # e.g. reporting a loss


@dataclass(frozen=True)
class Workflow:
    states: dict[str, str]          # state -> Japanese label
    initial: str
    transitions: tuple[Transition, ...]
    final: tuple[str, ...] = ()
    _by_name: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        for t in self.transitions:
            unknown = (set(t.source) | {t.target}) - set(self.states)
            if unknown:
                raise ValueError(f"transition {t.name} names unknown states {unknown}")
            self._by_name[t.name] = t

    def get(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def label(self, state: str) -> str:
        return self.states.get(state, state)
