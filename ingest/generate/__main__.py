"""python -m ingest.generate --scale {demo,stockholm,national} --seed N --out DIR ..."""

import argparse
import re

from ingest.generate import SCALES, generate


def month(text):
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"not a month YYYY-MM: {text!r}")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ingest.generate", description=__doc__)
    parser.add_argument("--scale", choices=list(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="data/exports")
    parser.add_argument("--bad-share", type=float, default=0.005,
                        help="share of rows with one defect each (default 0.005)")
    parser.add_argument("--until", type=month, metavar="YYYY-MM",
                        help="only files exported up to the end of this month")
    parser.add_argument("--manifest", metavar="PATH",
                        help="write rows and bad rows per file as JSON (not into --out)")
    args = parser.parse_args(argv)
    generate(args.scale, args.seed, args.out, args.bad_share, args.until, args.manifest)


if __name__ == "__main__":
    main()
