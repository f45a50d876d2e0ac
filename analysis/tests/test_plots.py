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


def test_axis_labels_put_units_in_one_pair_of_brackets(tmp_path, monkeypatch):
    """Run files' units such as "workers (full scale)" were put in brackets as they stood:
    "employment (workers (full scale))". They read "employment (workers, full scale)"."""
    from analysis import runs
    from analysis.tests import fakerun
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: figs.append(fig) or name)
    b, p = fakerun.make_pair(str(tmp_path))
    import glob
    import os
    pairs = list(zip((runs.Run(f) for f in sorted(glob.glob(os.path.join(b, "*.h5")))),
                     (runs.Run(f) for f in sorted(glob.glob(os.path.join(p, "*.h5"))))))
    for r in (x for pr in pairs for x in pr):   # the units the engine writes
        r.ts_units.update(employment="workers (full scale)", firms="firms (full scale)")
    plots.timeseries_compare(pairs, str(tmp_path))
    plots.timeseries_single(pairs[0][0], str(tmp_path))
    labels = [ax.get_ylabel() for fig in figs for ax in fig.axes]
    assert "employment (workers, full scale)" in labels
    assert "difference (workers, full scale)" in labels
    assert "firms (firms, full scale)" in labels
    assert not [x for x in labels if "((" in x or "))" in x], labels
    assert runs.label_with_units("output", "pounds per step (full scale)") == \
        "output (pounds per step, full scale)"
    assert runs.label_with_units("rent", "") == "rent"


def test_a_target_of_whole_regions_is_outlined_on_the_maps(tmp_path, monkeypatch):
    """A circle target was outlined on the employment maps, a regions target not at all: the
    policy's place could not be seen on them."""
    import glob
    import os
    from analysis import compare, runs
    from analysis.tests import fakerun
    # figures closed as _save closes them (kept open, twenty of them warned)
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: plots.plt.close(fig) or name)
    drawn = []
    real = plots._outline
    monkeypatch.setattr(plots, "_outline", lambda ax, mask, *a, **k: drawn.append(
        mask.copy()) or real(ax, mask, *a, **k))
    b, p = fakerun.make_pair(str(tmp_path))
    pairs = list(zip((runs.Run(f) for f in sorted(glob.glob(os.path.join(b, "*.h5")))),
                     (runs.Run(f) for f in sorted(glob.glob(os.path.join(p, "*.h5"))))))
    target = compare.target_area(pairs[0][1])
    assert target.kind == "regions" and target.regions == ["London"] and target.mask is None
    assert plots.employment_maps(pairs, str(tmp_path), target) == ["map_employment.png"]
    rm, names = pairs[0][0].region_map, pairs[0][0].map_region_names
    assert len(drawn) == 3  # baseline, policy, difference
    for m in drawn:
        assert (m == (rm == names.index("London"))).all()
    # the command passes compare's target as it is (it passed a circle's only)
    drawn.clear()
    from analysis.__main__ import main
    assert main(["compare", b, "--", p, "-o", str(tmp_path / "cmp")]) == 0
    london = rm == names.index("London")  # the cluster maps outline clusters too
    assert sum(m.shape == london.shape and (m == london).all() for m in drawn) == 3
