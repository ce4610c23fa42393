"""How often one fault kind is caught (or Good plots kept), by one of its details (render_plots.py's labels.csv), from the
verdicts the accuracy bench writes (`--verdicts`):

    node bench/dist/accuracy.bench.js --sets mpl --types mpl_occupancy --verdicts /tmp/verdicts.csv
    /usr/bin/python3 bench/accuracy/caught_by.py /tmp/verdicts.csv --fault hot-channel --by of_max --bins 0.5,1,1.5
    /usr/bin/python3 bench/accuracy/caught_by.py /tmp/verdicts.csv --plot-type mpl_occupancy --fault Good --by rate --bins 1

A verdict is Bad where P(Bad) is the larger of Good's and Bad's, as the bench counts it. `--fault Good`
counts the Good plots kept, by the details every plot of its type has (an occupancy map's scale, rate).
"""
import argparse
import bisect
import csv

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("verdicts")
parser.add_argument("--fault", required=True, help="the fault kind, e.g. hot-channel, or Good")
parser.add_argument("--plot-type", help="only this plot type's verdicts, e.g. mpl_occupancy")
parser.add_argument("--by", required=True, help="the detail to group by, e.g. radius")
parser.add_argument("--bins", required=True, help="the edges between groups, ascending, e.g. 4,8")
args = parser.parse_args()

edges = [float(edge) for edge in args.bins.split(",")]
groups = [[0, 0] for _ in range(len(edges) + 1)]
with open(args.verdicts, newline="") as handle:
    for row in csv.DictReader(handle):
        if args.plot_type and row["plot type"] != args.plot_type:
            continue
        if row["fault"] != args.fault and not (args.fault == "Good" and row["label"] == "Good"):
            continue
        details = dict(pair.split("=") for pair in row["detail"].split(";") if pair)
        if args.by not in details:
            raise SystemExit(f"{row['image']}: no {args.by} in its detail {row['detail']!r}")
        group = groups[bisect.bisect_right(edges, float(details[args.by]))]
        group[0] += (float(row["P(Bad)"]) > 0.5) == (row["label"] == "Bad")
        group[1] += 1

names = [f"< {edges[0]:g}"]
names += [f"{low:g} to {high:g}" for low, high in zip(edges, edges[1:])]
names += [f">= {edges[-1]:g}"]
print(f"| {args.by} | {'kept' if args.fault == 'Good' else 'caught'} |\n| --- | --- |")
for name, (caught, total) in zip(names, groups):
    if total:
        print(f"| {name} | {caught}/{total} = {100 * caught / total:.0f} % |")
