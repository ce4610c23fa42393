"""Plots drawn by a renderer that is not Hydra's: matplotlib frames (title, ticks, axis labels) with
subtle faults, for the accuracy benchmark only (bench/src/accuracy.bench.ts). Neither CI nor
`npm test` needs it.

    apt-get install -y python3-matplotlib python3-numpy
    /usr/bin/python3 bench/accuracy/render_plots.py --out /tmp/hydra-accuracy/mpl --seed 1 --train 300 --test 200

Writes <out>/<plot type>/<split>/<index>.png and <out>/<plot type>/labels.csv
(file,split,label,fault,detail); detail says how strong the fault is and where (and, for occupancy
maps, the map's own falloff and rate), as key=value pairs separated by ";" (e.g.
"radius=9.4;factor=2.7"), for the bench's --verdicts.
Half the plots are Good, half Bad; every Bad plot has one subtle fault of its plot type, equally often.
Good plots vary (peak position and width, statistics, rates) within what a shift crew would accept,
so that the faults are not the only thing that changes.
"""
import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

WIDTH_IN, HEIGHT_IN, DPI = 4.0, 3.0, 100  # 400 × 300 px, like Hydra's plots

# Timing histogram: 120 bins of 2.5 ns; the peak's σ is 6 ns, so a 1σ shift is 2.4 bins.
TIMING_BINS = np.linspace(0, 300, 121)
PEAK_SIGMA = 6.0


def timing(rng, fault):
    events = int(rng.uniform(8000, 20000))
    centre = 120 + rng.normal(0, 0.25) * PEAK_SIGMA  # good runs drift by a fraction of σ
    sigma = PEAK_SIGMA * rng.uniform(0.9, 1.1)
    background = int(events * rng.uniform(0.05, 0.15))
    detail = {}
    if fault == "shifted-peak":
        shift = rng.choice([-1, 1]) * rng.uniform(1, 2)
        centre += shift * PEAK_SIGMA
        # The shift from this run's drifted centre, and where the peak ends up from the nominal 120 ns.
        detail = {"sigmas": shift, "from_nominal": (centre - 120) / PEAK_SIGMA}
        times = rng.normal(centre, sigma, events)
    elif fault == "split-peak":
        offset = rng.uniform(1, 1.5) * PEAK_SIGMA
        detail = {"sigmas": offset / PEAK_SIGMA}
        half = events // 2
        times = np.concatenate(
            [rng.normal(centre - offset, sigma, half), rng.normal(centre + offset, sigma, events - half)]
        )
    elif fault == "broadened-peak":
        factor = rng.uniform(1.5, 2)
        detail = {"factor": factor}
        times = rng.normal(centre, sigma * factor, events)
    else:
        times = rng.normal(centre, sigma, events)
    times = np.concatenate([times, rng.uniform(0, 300, background)])
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax.hist(times, bins=TIMING_BINS, histtype="stepfilled", color="tab:blue", alpha=0.8)
    ax.set_title("Drift chamber hit time")
    ax.set_xlabel("t - t$_0$ [ns]")
    ax.set_ylabel("hits / 2.5 ns")
    return fig, detail


# Occupancy map: a 24 × 24 calorimeter with a beam hole, rate falling with radius; 8 sectors.
GRID = 24


def occupancy(rng, fault):
    y, x = np.mgrid[0:GRID, 0:GRID] - (GRID - 1) / 2
    radius = np.hypot(x, y)
    angle = np.mod(np.arctan2(y, x), 2 * np.pi)
    inside = (radius > 2) & (radius < GRID / 2)
    scale = rng.uniform(5, 7)
    mean = np.where(inside, 400 * np.exp(-radius / scale), 0)
    rate = rng.uniform(0.8, 1.25)
    mean *= rate
    detail = {"scale": scale, "rate": rate}
    if fault == "dead-channel":
        rows, cols = np.nonzero(inside & (radius < 8))
        pick = rng.integers(len(rows))
        mean[rows[pick], cols[pick]] = 0
        detail["radius"] = radius[rows[pick], cols[pick]]
    elif fault == "hot-channel":
        rows, cols = np.nonzero(inside)
        pick = rng.integers(len(rows))
        factor = rng.uniform(2.5, 4)
        # How bright it is: its rate against the hottest healthy cell's, which sets the colour scale.
        detail["radius"] = radius[rows[pick], cols[pick]]
        detail["factor"] = factor
        detail["of_max"] = mean[rows[pick], cols[pick]] * factor / mean.max()
        mean[rows[pick], cols[pick]] *= factor
    elif fault == "half-efficiency-sector":
        sector = rng.integers(8)
        in_sector = (angle >= sector * np.pi / 4) & (angle < (sector + 1) * np.pi / 4)
        factor = rng.uniform(0.45, 0.6)
        detail["factor"] = factor
        mean = np.where(in_sector, mean * factor, mean)
    counts = rng.poisson(mean).astype(float)
    counts[~inside] = np.nan
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    image = ax.imshow(counts, origin="lower", cmap="viridis", extent=(-GRID / 2, GRID / 2, -GRID / 2, GRID / 2))
    fig.colorbar(image, ax=ax, label="hits")
    ax.set_title("Forward calorimeter occupancy")
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    return fig, detail


# Trigger bits: 16 bits with rates falling by bit number; a missing bit fires never, a runaway one far too often.
BITS = 16


def trigger(rng, fault):
    rates = 1000 * np.exp(-np.arange(BITS) / rng.uniform(4, 6)) * rng.uniform(0.8, 1.2, BITS) + 20
    detail = {}
    if fault == "missing-bit":
        bit = rng.integers(BITS)
        rates[bit] = 0
        detail = {"bit": bit}
    elif fault == "runaway-bit":
        bit = rng.integers(BITS)
        rates[bit] = rates[bit] * rng.uniform(2, 3) + 150
        detail = {"bit": bit, "of_max": rates[bit] / np.delete(rates, bit).max()}
    counts = rng.poisson(rates)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax.bar(np.arange(BITS), counts, color="tab:orange", edgecolor="black", linewidth=0.5)
    ax.set_title("Level-1 trigger bits")
    ax.set_xlabel("trigger bit")
    ax.set_ylabel("events")
    ax.set_xticks(range(0, BITS, 2))
    return fig, detail


PLOT_TYPES = {
    "mpl_timing": (timing, ["shifted-peak", "split-peak", "broadened-peak"]),
    "mpl_occupancy": (occupancy, ["dead-channel", "hot-channel", "half-efficiency-sector"]),
    "mpl_trigger": (trigger, ["missing-bit", "runaway-bit"]),
}


def render(out, seed, counts):
    for type_index, (name, (draw, faults)) in enumerate(PLOT_TYPES.items()):
        folder = os.path.join(out, name)
        rows = []
        for split_index, (split, count) in enumerate(counts.items()):
            os.makedirs(os.path.join(folder, split), exist_ok=True)
            for index in range(count):
                rng = np.random.default_rng([seed, type_index, split_index, index])
                bad = index % 2 == 1
                fault = faults[(index // 2) % len(faults)] if bad else ""
                fig, detail = draw(rng, fault or None)
                fig.tight_layout()
                path = os.path.join(split, f"{index:04d}.png")
                fig.savefig(os.path.join(folder, path), dpi=DPI)
                plt.close(fig)
                described = ";".join(f"{key}={value:.3g}" for key, value in detail.items())
                rows.append((path, split, "Bad" if bad else "Good", fault, described))
        with open(os.path.join(folder, "labels.csv"), "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "split", "label", "fault", "detail"])
            writer.writerows(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--train", type=int, default=300)
    parser.add_argument("--test", type=int, default=200)
    args = parser.parse_args()
    render(args.out, args.seed, {"train": args.train, "test": args.test})
