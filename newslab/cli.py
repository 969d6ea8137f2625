"""Command line: ``newslab SUBCOMMAND ...``, a thin layer over the Python API.

Examples
--------
>>> main(["--version"])  # doctest: +SKIP
newslab 0.1.0
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from newslab import __version__

__all__ = ["main", "build_parser"]


def _cmd_info(args: argparse.Namespace) -> int:
    from newslab.corpus import corpus_summary, read_corpus

    summary = corpus_summary(read_corpus(args.corpus))
    if args.json:
        print(json.dumps(summary, default=str, indent=2))
    else:
        print(_format_summary(summary))
    return 0


def _format_summary(summary: dict) -> str:
    first = summary["first"].date() if summary["first"] is not None else "-"
    last = summary["last"].date() if summary["last"] is not None else "-"
    lines = [
        f"{summary['articles']} articles from {summary['outlets']} outlets, {first} to {last}"
        + (f" ({summary['undated']} undated)" if summary["undated"] else ""),
    ]
    for outlet, n in summary["per_outlet"].items():
        lines.append(f"  {n:5d}  {outlet}")
    return "\n".join(lines)


def _cmd_validate(args: argparse.Namespace) -> int:
    from newslab.corpus import CorpusValidationError, read_corpus

    try:
        df = read_corpus(args.corpus)
    except CorpusValidationError as exc:
        print(f"{args.corpus}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.corpus}: valid corpus table, {len(df)} articles")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from newslab.demo import run_demo

    report = run_demo(args.out, progress=not args.quiet)
    print(f"Report written: {report}\nOpen it with: xdg-open {report}  (or your browser)")
    return 0


# name -> (help, add_arguments, handler)
_Command = tuple[
    str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]
]


def _commands() -> dict[str, _Command]:
    def corpus_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("corpus", help="corpus file (.parquet or .jsonl)")

    def info_args(p: argparse.ArgumentParser) -> None:
        corpus_arg(p)
        p.add_argument("--json", action="store_true", help="print JSON")

    def demo_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="reports/demo", help="report folder (default: %(default)s)")
        p.add_argument("--quiet", action="store_true", help="no progress bars")

    from newslab.collection import add_collect_arguments, main_collect
    from newslab.extraction import add_extract_arguments, main_extract
    from newslab.scores import add_score_arguments, run_score_command

    return {
        "collect": (
            "collect articles from URLs, feeds, sitemaps, HTML files or WARC files",
            add_collect_arguments,
            main_collect,
        ),
        "extract": (
            "extract one article from an HTML file (.html or .html.gz)",
            add_extract_arguments,
            main_extract,
        ),
        "score": (
            "score a summary against its story's sources",
            add_score_arguments,
            run_score_command,
        ),
        "demo": (
            "run the whole pipeline on the bundled sample and write a report",
            demo_args,
            _cmd_demo,
        ),
        "info": ("summarise a corpus file: outlets, articles, date range", info_args, _cmd_info),
        "validate": ("check a corpus file against the corpus schema", corpus_arg, _cmd_validate),
    }


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newslab",
        description="Collect, cluster, summarize and score multi-source news.",
    )
    parser.add_argument("--version", action="version", version=f"newslab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_args, handler) in _commands().items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_args(p)
        p.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"newslab {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"newslab {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
