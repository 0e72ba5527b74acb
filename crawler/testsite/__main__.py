"""Serve simulated newsrooms until Ctrl-C: python -m crawler.testsite [releases.json] [--faults].

With a JSON file (a list of release records: title, date, body, municipality, style ...)
it serves those; without, a dozen generated releases in every style. It prints each
site's start URL, ready for `kommunpress crawl URL --delay 0`.
"""

from __future__ import annotations

import argparse
import json
import time

from crawler.testsite import STYLES, Newsroom, Release, generate_releases


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m crawler.testsite", description=__doc__.splitlines()[0])
    parser.add_argument("releases", nargs="?", help="JSON file with a list of release records")
    parser.add_argument("--faults", action="store_true", help="add broken pages, traps and a forbidden path")
    args = parser.parse_args()
    if args.releases:
        with open(args.releases, encoding="utf-8") as f:
            releases = [Release.from_dict(r) for r in json.load(f)]
    else:
        releases = [r for i, style in enumerate(STYLES) for r in generate_releases(12, style=style, seed=i)]
    with Newsroom(releases, faults=args.faults) as sim:
        for site in sim.sites.values():
            print(f"{site.municipality:<15} {site.style:<15} {site.start_url}")
        print("Serving; Ctrl-C stops.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
