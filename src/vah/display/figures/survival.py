"""Kaplan-Meier and cumulative-incidence figures of the reconstructed cohort."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from vah.display.figures import PALETTE
from vah.reconstruction import aalen_johansen, km_fit

__all__ = [
    "endpoint_panels",
    "group_panels",
    "PANELS",
    "SHORT_GROUP_LABELS",
    "TITLES",
]

PANELS = ("OS", "EFS", "CIR", "DFS")
#: Disease groups in legends and at-risk tables (short, so the panels keep their width).
SHORT_GROUP_LABELS = {"refractory": "Refractory", "relapsed_chemo": "Relapsed, chemo",
                      "relapsed_hsct": "Relapsed, HSCT"}


TITLES = {"OS": "Overall survival", "EFS": "Event-free survival",
          "CIR": "Cumulative incidence of relapse", "DFS": "Disease-free survival"}


def _frame_axes(ax, title: str, top: float, xlabel: str) -> None:
    """Title, the first 26 months in steps of 6, and a per-cent axis from 0 to ``top``."""
    ax.set_title(title)
    ax.set_xlim(0, 26)
    ax.set_ylim(0, top)
    ax.set_xticks(range(0, 27, 6))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("per cent")


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


def endpoint_panels(frame, split: str | None = None, published: dict | None = None) -> Figure:
    """Four panels (OS, EFS, cumulative incidence of relapse, DFS), optionally by a binary
    column ``split``; published 12-month landmarks drawn as diamonds."""
    from lifelines.plotting import add_at_risk_counts

    fig = Figure(figsize=(10, 8.6))
    axes = fig.subplots(2, 2).ravel()
    groups = [(None, frame, "all patients", PALETTE["all"])] if split is None else [
        (True, frame[frame[split]], "allo-HSCT", PALETTE["homoharringtonine"]),
        (False, frame[~frame[split]], "no allo-HSCT", PALETTE["refractory"])]
    for ax, panel in zip(axes, PANELS, strict=True):
        fits = []
        for _, sub, label, colour in groups:
            crc = sub[sub["crc"]]
            if panel == "OS":
                f = km_fit(sub["os_time"], sub["os_event"], label)
                _steps(ax, f, label, colour, label)
                _censor_marks(ax, f, sub["os_time"], sub["os_event"], colour)
            elif panel == "EFS":
                f = km_fit(sub["efs_time"], sub["efs_event"], label)
                _steps(ax, f, label, colour, label)
                _censor_marks(ax, f, sub["efs_time"], sub["efs_event"], colour)
            elif panel == "DFS":
                f = km_fit(crc["dfs_time"], crc["dfs_event"], label)
                _steps(ax, f, label, colour, label)
                _censor_marks(ax, f, crc["dfs_time"], crc["dfs_event"], colour)
            else:
                f = aalen_johansen(crc["dfs_time"], crc["cir_event"])
                _steps(ax, f, f.cumulative_density_.columns[0], colour, label)
            fits.append(f)
        _frame_axes(ax, TITLES[panel], 102 if panel != "CIR" else 60,
                    "months" + (" from CRc" if panel in ("CIR", "DFS") else ""))
        for key, (x, y) in (published or {}).get(panel, {}).items():
            ax.plot([x], [y], "D", color=PALETTE["published"], ms=6,
                    label="published" if key == 0 else None)
        ax.legend(frameon=False, fontsize=8, loc="lower left" if panel != "CIR" else "upper left")
        km_fits = [f for f in fits if hasattr(f, "survival_function_")]
        if km_fits:
            add_at_risk_counts(*km_fits, ax=ax, rows_to_show=["At risk"], fig=fig)
    fig.tight_layout()
    return fig


def group_panels(frame, published: dict | None = None) -> Figure:
    """OS and EFS by disease group (Kaplan-Meier, censoring ticks, numbers at risk); the
    published 12- and 24-month rates of each group (``published[endpoint][group]``, a list of
    (month, per cent)) as diamonds in the group's colour."""
    from lifelines.plotting import add_at_risk_counts

    from vah.paper import DISEASE_GROUPS

    fig = Figure(figsize=(10, 5.2))
    axes = fig.subplots(1, 2)
    for ax, endpoint in zip(axes, ("os", "efs"), strict=True):
        fits = []
        for group in DISEASE_GROUPS:
            sub = frame[frame["group"] == group]
            colour = PALETTE[group]
            label = SHORT_GROUP_LABELS[group]
            f = km_fit(sub[f"{endpoint}_time"], sub[f"{endpoint}_event"], label)
            _steps(ax, f, label, colour, label, ci=False)
            _censor_marks(ax, f, sub[f"{endpoint}_time"], sub[f"{endpoint}_event"], colour)
            for x, y in (published or {}).get(endpoint.upper(), {}).get(group, []):
                ax.plot([x], [y], "D", mfc="white", mec=colour, mew=1.6, ms=7)
            fits.append(f)
        ax.plot([], [], "D", mfc="white", mec=PALETTE["grey"], mew=1.6, ms=7,
                label="published (group colour)")
        _frame_axes(ax, TITLES[endpoint.upper()], 102, "months")
        ax.legend(frameon=False, fontsize=8, loc="lower left")
        add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"], fig=fig)
    fig.tight_layout()
    return fig
