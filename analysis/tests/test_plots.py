"""The comparison's figures (analysis/plots.py) on constructed summary rows."""
from analysis import plots


def test_region_bars_key_both_colours_and_warn_of_many_intervals(tmp_path, monkeypatch):
    """Bars below zero are drawn in the baseline's colour: the legend keyed only the policy's
    colour, and with a dozen regions one interval excluding zero is likely by chance."""
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: figs.append(fig) or name)
    rows = [{"outcome": "employment", "measure": "final", "scope": f"region R{i}",
             "difference": d, "ci_low": d - 1e7, "ci_high": d + 1e7}
            for i, d in enumerate([5e7, -3e7, 2e7])]
    assert plots.region_bars(rows, str(tmp_path)) == ["regions_employment.png"]
    fig = figs[0]
    ax = fig.axes[0]
    keys = [t.get_text() for t in ax.get_legend().get_texts()]
    assert keys == ["policy above baseline (bars: 95% CI)", "policy below baseline"], keys
    colours = {p.get_facecolor() for p in ax.patches}
    assert len(colours) == 2  # the two colours the key names
    assert any("with no effect anywhere, about 0.2 of them would exclude zero by chance" in
               t.get_text()
               for t in fig.texts)
    fig.canvas.draw()
    # whole numbers with separators, not an offset like "1e7" above the axis
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert any("," in t.get_text() for t in ax.get_yticklabels())
