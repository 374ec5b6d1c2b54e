"""Panels that apps above resolutions add to an item's public page, which knows none of them.

A higher app registers a panel from its AppConfig.ready() (stats: the figures a decision aims
to move); `resolutions.views.detail` asks every panel, in the order registered, for its
context and includes the panel's template with it as `panel`, or leaves the panel out when it
answers None. The module imports no model: an AppConfig module imports it before the models
are ready. The page is cached whole (kernel.pagecache), so the app that adds a panel
watches the models the panel reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by AppConfig modules, before the models are ready
    from .models import Resolution


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Resolution], object | None]  # None: nothing to show for this item


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: object


_panels: dict[str, Panel] = {}


def register_panel(name: str, *, template: str, context: Callable[[Resolution], object | None]):
    """Add a panel to every item's page (again under the same name: replace it)."""
    _panels[name] = Panel(template=template, context=context)


def panels_for(resolution: Resolution) -> list[ShownPanel]:
    """The panels with something to show for this item, in the order registered."""
    shown = []
    for panel in _panels.values():
        context = panel.context(resolution)
        if context is not None:
            shown.append(ShownPanel(template=panel.template, context=context))
    return shown
