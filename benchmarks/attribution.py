"""Attribution on a million paths: every model's time, and Markov against ChannelAttribution.

Run: python benchmarks/attribution.py [--paths 1000000]
     (the comparison needs: pip install channelattribution pandas)

One synthetic set of paths (1 to 8 touches on 6 channels, about 3 % converting, values
drawn from a log-normal) is built in memory and given to every model; the time of each is
printed. Then the same paths, aggregated by their channels, go to ChannelAttribution's
`markov_model` (first order), and the run prints the time ratio and the largest difference in
attributed conversions and in attributed value per channel, relative to mcplan's (mcplan
shares value by a chain in which each path's value counts in conversions of the average
value, so the two may differ on value by design). ChannelAttribution simulates the
chain where mcplan solves it exactly, so it is run three ways: with its defaults (1e5
simulated paths, a 5 % convergence tolerance, and paths stopped after as many steps as
the longest observed path); without that step limit; and precise enough to compare (5e6
paths, 0.5 % tolerance, no step limit).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mcplan.attribution import MODELS, Options, Paths, attribute

CHANNELS = ("email", "sms", "instagram", "website", "mobile_push", "store")


def paths(n: int, seed: int = 7) -> Paths:
    rng = np.random.default_rng(seed)
    length = np.minimum(rng.geometric(0.45, n), 8)
    path = np.repeat(np.arange(n), length)
    starts = np.r_[0, np.cumsum(length)[:-1]]
    position = np.arange(len(path)) - starts[path]
    channel = rng.choice(len(CHANNELS), len(path), p=[0.3, 0.15, 0.2, 0.2, 0.1, 0.05])
    # Conversion odds grow with touches, more with sms and store than with instagram.
    lift = np.array([0.6, 1.2, 0.2, 0.5, 0.4, 1.5])
    score = np.bincount(path, lift[channel], minlength=n)
    converts = rng.random(n) < 1 - np.exp(-0.02 * score)
    gaps = rng.exponential(36 * 3600, len(path))
    # Seconds from each touch to the end of its path (the conversion, if any).
    until_end = np.bincount(path, gaps, minlength=n)[path] - (
        np.cumsum(gaps) - np.cumsum(gaps)[starts][path]
    )
    return Paths(
        channels=CHANNELS,
        path=path.astype(np.int64),
        position=position.astype(np.int64),
        length=length[path].astype(np.int64),
        channel=channel.astype(np.int64),
        before=np.where(converts[path], until_end, 0.0),
        conversions=converts.astype(np.float64),
        value=np.where(converts, rng.lognormal(4, 0.5, n), 0.0),
        nulls=(~converts).astype(np.float64),
    )


def as_paths(data: Paths) -> object:
    import pandas as pd

    names = np.array(CHANNELS, dtype=object)
    frame = pd.DataFrame({"path": data.path, "step": names[data.channel]})
    joined = frame.groupby("path", sort=True)["step"].agg(" > ".join)
    table = pd.DataFrame(
        {
            "path": joined.to_numpy(),
            "total_conversions": data.conversions,
            "total_conversion_value": data.value,
            "total_null": data.nulls,
        }
    )
    return table.groupby("path", as_index=False).sum()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    data = paths(args.paths)
    print(f"{args.paths:,} paths, {len(data.path):,} touches, "
          f"{data.conversions.sum():,.0f} conversions (built in "
          f"{time.perf_counter() - start:.2f} s)")  # fmt: skip
    timings = {}
    for model in MODELS:
        start = time.perf_counter()
        attribute(data, [model], Options())
        timings[model] = time.perf_counter() - start
        print(f"  {model:<11} {timings[model]:6.2f} s")
    print(f"  every model {sum(timings.values()):6.2f} s")
    [ours] = attribute(data, ["markov"])
    try:
        import ChannelAttribution as ca
    except ImportError:
        print("ChannelAttribution is not installed: pip install channelattribution pandas")
        return
    table = as_paths(data)
    print(f"ChannelAttribution markov_model on {len(table):,} distinct paths:")
    settings = (
        ("defaults", {}),
        ("max_step=100", {"max_step": 100}),
        ("precise", {"max_step": 100, "nsim_start": 5e6, "conv_par": 0.005}),
    )
    for label, extra in settings:
        start = time.perf_counter()
        theirs = ca.markov_model(
            table, "path", "total_conversions", var_value="total_conversion_value",
            var_null="total_null", order=1, verbose=False, flg_pro=False, **extra,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        conversions = _largest_difference(
            ours.channels, ours.conversions, theirs["channel_name"], theirs["total_conversions"]
        )
        value = _largest_difference(
            ours.channels, ours.value, theirs["channel_name"], theirs["total_conversion_value"]
        )
        print(f"  {label:<13} {elapsed:6.2f} s ({elapsed / timings['markov']:.1f}x mcplan's "
              f"markov), largest difference: conversions {conversions}, value {value}")  # fmt: skip


def _largest_difference(channels: object, ours: np.ndarray, names: object, theirs: object) -> str:
    """``1.23 % (sms)``: the largest difference per channel, relative to mcplan's figure."""
    by_name = dict(zip(names, theirs, strict=True))  # type: ignore[call-overload]
    differences = {
        c: abs(by_name[c] - float(x)) / float(x)
        for c, x in zip(channels, ours, strict=True)  # type: ignore[call-overload]
    }
    worst = max(differences, key=differences.__getitem__)
    return f"{differences[worst]:.2%} ({worst})"


if __name__ == "__main__":
    main()
