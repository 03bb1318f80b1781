"""Settings of the medium picker's browser test: the demo body's seven media count as many, so the carry-out and
disposal forms ask for the 登録番号 (with suggestions) instead of offering a select."""

from tejun.settings import *  # noqa: F403

TEJUN_MEDIUM_SELECT_MAX = 2
