"""Labels beside points on a map, kept inside the axes and clear of each other: the numbers of
the starred clusters (plots.cluster_maps) and the city names (animate). Placed once the axes
have their final size (after tight_layout or the colour bar), in display units."""
from matplotlib.transforms import Bbox

# offsets in points from the point, tried in order, with the alignment that puts the label on
# that side of it
OFFSETS = (((6, 6), "left", "bottom"), ((-6, 6), "right", "bottom"),
           ((6, -6), "left", "top"), ((-6, -6), "right", "top"),
           ((8, 0), "left", "center"), ((-8, 0), "right", "center"),
           ((0, 9), "center", "bottom"), ((0, -9), "center", "top"))


def _inside(bb, box):
    return box.x0 <= bb.x0 and bb.x1 <= box.x1 and box.y0 <= bb.y0 and bb.y1 <= box.y1


def _dist(bb, p):
    """Distance in pixels from a point to a box (0 inside it)."""
    dx = max(bb.x0 - p[0], 0.0, p[0] - bb.x1)
    dy = max(bb.y0 - p[1], 0.0, p[1] - bb.y1)
    return (dx * dx + dy * dy) ** 0.5


def place(ax, points, skip=False, pad=3.0, margin=6.0, **text_kw):
    """Annotates each (x, y, text) of points (data coordinates), in order, on a side (OFFSETS)
    where the label lies inside the axes, overlaps neither a label placed before it nor
    another point, and lies nearer its own point than any other (a name between two dots reads
    as the wrong one's): the first side where it is nearer by 2 pad, else the side where it is
    most so. A label with no such side: left out when skip (a city name: its dot stays), else
    on the first side inside the axes (a cluster's number must be there), clipped to the axes.
    pad: half the side of a point's box, margin: the room kept round a label (its text's box,
    which leaves out a bbox drawn round it), both in pixels. Returns the annotations placed."""
    fig = ax.figure
    r = fig.canvas.get_renderer()
    box = ax.get_window_extent(r)
    pts = [ax.transData.transform((x, y)) for x, y, _ in points]
    # each point as a small box: a label over another point's marker hides it
    taken = [Bbox.from_bounds(px - pad, py - pad, 2 * pad, 2 * pad) for px, py in pts]
    out = []

    def label(x, y, text, side):
        off, ha, va = side
        return ax.annotate(text, (x, y), xytext=off, textcoords="offset points", ha=ha, va=va,
                           annotation_clip=True, clip_on=True, **text_kw)

    for i, (x, y, text) in enumerate(points):
        others = taken[:i] + taken[i + 1:]
        inside, best = [], None   # best: (how much nearer its own point, side)
        for side in OFFSETS:
            a = label(x, y, text, side)
            bb = a.get_window_extent(r).padded(margin)
            a.remove()
            if not _inside(bb, box):
                continue
            inside.append(side)
            if any(bb.overlaps(o) for o in others):
                continue
            nearer = min((_dist(bb, q) for j, q in enumerate(pts) if j != i),
                         default=float("inf")) - _dist(bb, pts[i])
            if nearer > 0 and (best is None or nearer > best[0]):
                best = (nearer, side)
            if nearer >= 2 * pad:
                break
        side = best[1] if best else None if skip else (inside or OFFSETS)[0]
        if side is not None:
            a = label(x, y, text, side)
            out.append(a)
            taken.append(a.get_window_extent(r).padded(margin))
    return out
