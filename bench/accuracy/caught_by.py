"""How often one fault kind is caught, by one of its details (render_plots.py's labels.csv), from the
verdicts the accuracy bench writes (`--verdicts`):

    node bench/dist/accuracy.bench.js --sets mpl --types mpl_occupancy --verdicts /tmp/verdicts.csv
    /usr/bin/python3 bench/accuracy/caught_by.py /tmp/verdicts.csv --fault hot-channel --by of_max --bins 0.5,1,1.5

A verdict is Bad where P(Bad) is the larger of Good's and Bad's, as the bench counts it.
"""
import argparse
import bisect
import csv

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("verdicts")
parser.add_argument("--fault", required=True, help="the fault kind, e.g. hot-channel")
parser.add_argument("--by", required=True, help="the detail to group by, e.g. radius")
parser.add_argument("--bins", required=True, help="the edges between groups, ascending, e.g. 4,8")
args = parser.parse_args()

edges = [float(edge) for edge in args.bins.split(",")]
groups = [[0, 0] for _ in range(len(edges) + 1)]
with open(args.verdicts, newline="") as handle:
    for row in csv.DictReader(handle):
        if row["fault"] != args.fault:
            continue
        details = dict(pair.split("=") for pair in row["detail"].split(";") if pair)
        if args.by not in details:
            raise SystemExit(f"{row['image']}: no {args.by} in its detail {row['detail']!r}")
        group = groups[bisect.bisect_right(edges, float(details[args.by]))]
        group[0] += float(row["P(Bad)"]) > 0.5
        group[1] += 1

names = [f"< {edges[0]:g}"]
names += [f"{low:g} to {high:g}" for low, high in zip(edges, edges[1:])]
names += [f">= {edges[-1]:g}"]
print(f"| {args.by} | caught |\n| --- | --- |")
for name, (caught, total) in zip(names, groups):
    if total:
        print(f"| {name} | {caught}/{total} = {100 * caught / total:.0f} % |")
