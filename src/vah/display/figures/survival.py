"""Kaplan-Meier and cumulative-incidence figures of the reconstructed cohort.

Every panel has its numbers at risk beneath it, one row per curve, each count centred on its
time tick and the row keyed to its curve by colour (labelled in the left column of a grid). The
figures are drawn narrow enough (under 504 pt) to be shown at their natural size in the book's
article column, so that 1 pt of text is 4/3 px on screen.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from vah.display.figures import PALETTE
from vah.reconstruction import aalen_johansen, km_fit

__all__ = [
    "at_risk",
    "endpoint_panels",
    "group_panels",
    "PANELS",
    "SHORT_GROUP_LABELS",
    "TICKS",
    "TITLES",
]

PANELS = ("OS", "EFS", "CIR", "DFS")
#: Disease groups in legends and at-risk tables (short, so the panels keep their width).
SHORT_GROUP_LABELS = {"refractory": "Refractory", "relapsed_chemo": "Relapsed, chemo",
                      "relapsed_hsct": "Relapsed, HSCT"}
#: Time ticks (months) of every panel, and of its numbers at risk.
TICKS = tuple(range(0, 25, 6))

TITLES = {"OS": "Overall survival", "EFS": "Event-free survival",
          "CIR": "Cumulative incidence of relapse", "DFS": "Disease-free survival"}

#: Font sizes (pt) of the legends and of the numbers at risk.
_LEGEND_SIZE = 9
_TABLE_SIZE = 9
#: Where the at-risk table starts below the axis (pt, under the tick labels and axis label),
#: and the height of one of its rows (pt).
_TABLE_TOP = 38
_ROW = 12.5
#: Gap (pt) between a row's label and the centre of its first count.
_LABEL_GAP = 12


def _frame_axes(ax, title: str, top: float, xlabel: str) -> None:
    """Title, the first 26 months with a tick every 6, and a per-cent axis from 0 to ``top``."""
    ax.set_title(title)
    ax.set_xlim(0, 26)
    ax.set_ylim(0, top)
    ax.set_xticks(TICKS)
    ax.set_xlabel(xlabel, labelpad=2)
    ax.set_ylabel("per cent")


def at_risk(times, ticks=TICKS) -> list[int]:
    """Patients still at risk at each tick: those whose time (event or censoring) is not
    earlier than the tick."""
    t = np.asarray(times, float)
    return [int((t >= tick).sum()) for tick in ticks]


def _at_risk_table(ax, rows, header: str, labels: bool = True) -> None:
    """The numbers at risk under ``ax``: a header, then one row per (label, colour, times), each
    count centred on its time tick; left of the first count the row's label in its colour (if
    ``labels``) or, for more than one row, a dash in that colour keying the row to its curve."""
    fig = ax.get_figure()
    months = ax.get_xaxis_transform()  # x in months, y in axes fraction

    def at(points_right, points_below):
        return offset_copy(months, fig=fig, x=points_right, y=-points_below, units="points")

    ax.text(0, 0, header, transform=at(-_LABEL_GAP / 2, _TABLE_TOP), ha="left", va="top",
            fontsize=_TABLE_SIZE, fontweight="bold", clip_on=False)
    for i, (label, colour, times) in enumerate(rows, start=1):
        y = _TABLE_TOP + i * _ROW
        if labels or len(rows) > 1:
            ax.text(0, 0, label if labels else "\N{EM DASH}", transform=at(-_LABEL_GAP, y),
                    ha="right", va="top", fontsize=_TABLE_SIZE, color=colour,
                    fontweight="normal" if labels else "bold", clip_on=False)
        for tick, n in zip(TICKS, at_risk(times), strict=True):
            ax.text(tick, 0, str(n), transform=at(0, y), ha="center", va="top",
                    fontsize=_TABLE_SIZE, clip_on=False)


def _steps(ax, fitter, column, colour, label, ci=True):
    frame = fitter.survival_function_ if hasattr(fitter, "survival_function_") else None
    times = (frame.index if frame is not None else fitter.cumulative_density_.index).to_numpy()
    values = (frame[column] if frame is not None else fitter.cumulative_density_[column])
    ax.step(times, 100 * values.to_numpy(), where="post", color=colour, lw=1.6, label=label)
    if ci:
        bands = fitter.confidence_interval_ if frame is not None else (
            fitter.confidence_interval_cumulative_density_)
        ax.fill_between(times, 100 * bands.iloc[:, 0], 100 * bands.iloc[:, 1], step="post",
                        color=colour, alpha=0.12, lw=0)


def _censor_marks(ax, fitter, time, event, colour):
    censored = np.asarray(time)[~np.asarray(event, bool)]
    ax.plot(censored, 100 * fitter.survival_function_at_times(censored).to_numpy(), "|",
            color=colour, ms=6)


def _published_marks(ax, points, colour: str | None) -> None:
    """Published landmarks as diamonds: filled in the published colour for the whole cohort
    (``colour`` None), open in the group's colour for a group."""
    for x, y in points:
        if colour is None:
            ax.plot([x], [y], "D", color=PALETTE["published"], ms=6)
        else:
            ax.plot([x], [y], "D", mfc="white", mec=colour, mew=1.6, ms=7)


def _curve(ax, panel: str, sub, label: str, colour: str):
    """One curve of ``panel`` for the patients ``sub``; returns the times that define who is
    at risk (from the start of VAH for OS and EFS, from CRc for DFS and relapse)."""
    crc = sub[sub["crc"]]
    if panel == "CIR":
        f = aalen_johansen(crc["dfs_time"], crc["cir_event"])
        _steps(ax, f, f.cumulative_density_.columns[0], colour, label)
        return crc["dfs_time"]
    source = crc if panel == "DFS" else sub
    time, event = source[f"{panel.lower()}_time"], source[f"{panel.lower()}_event"]
    f = km_fit(time, event, label)
    _steps(ax, f, label, colour, label)
    _censor_marks(ax, f, time, event, colour)
    return time


def endpoint_panels(frame, split: str | None = None, published: dict | None = None) -> Figure:
    """Four panels (OS, EFS, cumulative incidence of relapse, DFS), optionally by a binary
    column ``split``, with the numbers at risk beneath each (in CRc for relapse and DFS).

    ``published[panel][key]`` is a list of (month, per cent) drawn as diamonds: ``key`` None for
    the whole cohort (filled), or a value of ``split`` (open, in that group's colour)."""
    fig = Figure(figsize=(6.85, 9.4), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.04, hspace=0.06, wspace=0.04)
    axes = fig.subplots(2, 2).ravel()
    groups = [(None, frame, "all patients", PALETTE["all"])] if split is None else [
        (True, frame[frame[split]], "allo-HSCT", PALETTE["homoharringtonine"]),
        (False, frame[~frame[split]], "no allo-HSCT", PALETTE["refractory"])]
    for ax, panel in zip(axes, PANELS, strict=True):
        from_crc = panel in ("CIR", "DFS")
        rows = []
        marked = False
        for key, sub, label, colour in groups:
            rows.append((label if not from_crc or split else "in CRc", colour,
                         _curve(ax, panel, sub, label, colour)))
            points = (published or {}).get(panel, {}).get(key, [])
            _published_marks(ax, points, None if split is None else colour)
            marked = marked or bool(points)
        _frame_axes(ax, TITLES[panel], 102 if panel != "CIR" else 60,
                    "months" + (" from CRc" if from_crc else ""))
        handles, labels = ax.get_legend_handles_labels()
        if marked:
            handles.append(Line2D([], [], ls="", marker="D", ms=6, color=PALETTE["published"])
                           if split is None else
                           Line2D([], [], ls="", marker="D", ms=7, mfc="white",
                                  mec=PALETTE["grey"], mew=1.6))
            labels.append("published" if split is None else "published, 1 year")
        ax.legend(handles, labels, frameon=False, fontsize=_LEGEND_SIZE,
                  loc="upper left" if panel == "CIR" else "lower left")
        _at_risk_table(ax, rows, "Number at risk" + (" (in CRc)" if from_crc else ""),
                       labels=ax in axes[::2])  # labels in the left column only
    return fig


def group_panels(frame, published: dict | None = None) -> Figure:
    """OS and EFS by disease group (Kaplan-Meier, censoring ticks, numbers at risk); the
    published 12- and 24-month rates of each group (``published[endpoint][group]``, a list of
    (month, per cent)) as diamonds in the group's colour."""
    from vah.paper import DISEASE_GROUPS

    fig = Figure(figsize=(6.85, 8.4), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.06, hspace=0.06)
    axes = fig.subplots(2, 1)
    for ax, endpoint in zip(axes, ("os", "efs"), strict=True):
        rows = []
        for group in DISEASE_GROUPS:
            sub = frame[frame["group"] == group]
            colour = PALETTE[group]
            label = SHORT_GROUP_LABELS[group]
            time, event = sub[f"{endpoint}_time"], sub[f"{endpoint}_event"]
            f = km_fit(time, event, label)
            _steps(ax, f, label, colour, label, ci=False)
            _censor_marks(ax, f, time, event, colour)
            _published_marks(ax, (published or {}).get(endpoint.upper(), {}).get(group, []),
                             colour)
            rows.append((label, colour, time))
        ax.plot([], [], "D", mfc="white", mec=PALETTE["grey"], mew=1.6, ms=7,
                label="published (group colour)")
        _frame_axes(ax, TITLES[endpoint.upper()], 102, "months")
        ax.legend(frameon=False, fontsize=_LEGEND_SIZE, loc="lower left")
        _at_risk_table(ax, rows, "Number at risk")
    return fig
