"""Convert the bundled default model once (e.g. while building an image) and print its folder."""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))

from newsattrib.embedded import embedded_model_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache-dir", help="cache root (default: $NEWSATTRIB_CACHE or ~/.cache/newsattrib)")
    args = parser.parse_args()
    print(embedded_model_dir(args.cache_dir))


if __name__ == "__main__":
    main()
