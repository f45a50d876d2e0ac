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
    # a step is a quarter: the figures say so, as the tables do
    assert runs.label_with_units("output", "pounds per step (full scale)") == \
        "output (pounds per quarter, full scale)"
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


def _fake_pairs(tmp_path, **kw):
    import glob
    import os
    from analysis import runs
    from analysis.tests import fakerun
    b, p = fakerun.make_pair(str(tmp_path), **kw)
    return list(zip((runs.Run(f) for f in sorted(glob.glob(os.path.join(b, "*.h5")))),
                    (runs.Run(f) for f in sorted(glob.glob(os.path.join(p, "*.h5"))))))


def test_time_series_ticks_are_plain_numbers_per_quarter(tmp_path, monkeypatch):
    """The national series put their scale in a corner ("1e7", "1e11") over ticks such as
    3.08-3.13, and their axes said "pounds per step" where the tables say per quarter."""
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: figs.append(fig) or name)
    pairs = _fake_pairs(tmp_path)
    for r in (x for pr in pairs for x in pr):   # full-scale sizes and the engine's units
        r.ts["employment"] = r.ts["employment"] * 400.0     # about 31 million
        r.ts["output"] = r.ts["output"] * 3e5               # about 300 billion a quarter
        r.ts_units.update(output="2018 pounds per step (full scale)",
                          mean_wage="2018 pounds per step",
                          innovations="innovations per step (full scale)")
    plots.timeseries_compare(pairs, str(tmp_path))
    plots.timeseries_single(pairs[0][0], str(tmp_path))
    ticks = {}
    for fig in figs:
        fig.canvas.draw()
        for ax in fig.axes:
            if not ax.get_ylabel():
                continue
            assert ax.yaxis.get_offset_text().get_text() == "", ax.get_ylabel()
            labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
            assert labels and not [t for t in labels if "e+" in t or "e-" in t or "×" in t]
            assert len(set(labels)) == len(labels), labels   # decimals enough to tell apart
            ticks.setdefault(ax.get_ylabel(), labels)
    ylabels = list(ticks)
    assert not [x for x in ylabels if "per step" in x], ylabels
    assert "output (2018 pounds per quarter, full scale)" in ylabels
    assert "innovations (innovations per quarter, full scale)" in ylabels
    assert all(t.endswith("bn") or t == "0"
               for t in ticks["output (2018 pounds per quarter, full scale)"])
    assert all(t.endswith("m") for t in ticks["employment (jobs)"]), ticks["employment (jobs)"]
    f = plots.Readable()
    f.set_locs([3.08e7, 3.09e7, 3.10e7])
    assert [f(v) for v in (3.08e7, 3.1e7, 0.0)] == ["30.8m", "31.0m", "0"]
    f.set_locs([3.0e11, 3.025e11, 3.05e11])
    assert f(3.025e11) == "302.5bn"
    f.set_locs([0, 25_000, 50_000])
    assert f(-25_000) == "-25,000"


def test_cluster_maps_say_mean_map_and_keep_labels_inside_and_apart(tmp_path, monkeypatch):
    """clusters_<sector>.png did not say that it shows the mean over the seeds and that its
    clusters are found on that mean map, and its star labels ("2: 21,525") overlapped each other
    or ran off the map. The numbers now stay inside the map and apart; the jobs are in the
    legend."""
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: figs.append(fig) or name)
    pairs = _fake_pairs(tmp_path)
    for r in (x for pr in pairs for x in pr):
        # three digital clusters close together at the east edge of the map
        se = r.snap["sector_employment"]
        se[0] = 1.0
        for y in (3, 9, 15):
            se[0, y, 13:15] = 5000.0
    files = plots.cluster_maps([("baseline", [b for b, _ in pairs]),
                                ("policy", [p for _, p in pairs])], str(tmp_path))
    fig = figs[files.index("clusters_digital.png")]
    title = fig._suptitle.get_text()
    assert "mean over 3 seeds" in title and "clusters found on that mean map" in title, title
    r = fig.canvas.get_renderer()
    for ax in fig.axes[::2]:    # the maps (the others are colour bars)
        if not ax.get_images():
            continue
        box = ax.get_window_extent(r)
        texts = [t for t in ax.texts if t.get_text() in ("1", "2", "3")]
        assert sorted(t.get_text() for t in texts) == ["1", "2", "3"]
        bbs = [t.get_window_extent(r) for t in texts]
        for bb in bbs:
            assert box.x0 <= bb.x0 and bb.x1 <= box.x1 and box.y0 <= bb.y0 and bb.y1 <= box.y1
        for i in range(len(bbs)):
            for j in range(i):
                assert not bbs[i].overlaps(bbs[j])
        keys = [t.get_text() for t in ax.get_legend().get_texts()]
        assert [k for k in keys if k[:3] in ("1: ", "2: ", "3: ")] and \
            all(k.endswith(" jobs") for k in keys[1:]), keys
    # one run (show): no mean to speak of
    figs.clear()
    plots.cluster_maps([("run", [pairs[0][0]])], str(tmp_path))
    assert "mean over" not in figs[0]._suptitle.get_text()
    for f in figs:
        plots.plt.close(f)
