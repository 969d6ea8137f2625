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


def _cmd_cluster(args: argparse.Namespace) -> int:
    from newslab.stories import cluster_corpus_file

    extra = {}
    if args.sentence_encoder is not None:
        from newslab.embeddings import (
            SENTENCE_EMBEDDING_WEIGHT,
            SENTENCE_THRESHOLD,
            load_sentence_embedder,
        )

        extra["embedder"] = load_sentence_embedder(
            args.sentence_encoder or None, progress=not args.quiet
        )
        if args.embedding_weight is None:
            args.embedding_weight = SENTENCE_EMBEDDING_WEIGHT
        if args.threshold is None:
            args.threshold = SENTENCE_THRESHOLD
    table = cluster_corpus_file(
        args.corpus,
        args.out,
        window=args.window,
        threshold=args.threshold,
        time_aware=not args.no_time,
        progress=not args.quiet,
        time_penalty=args.time_penalty,
        day_penalty=args.day_penalty,
        semantic_dims=args.semantic_dims,
        embedding_weight=args.embedding_weight,
        **extra,
    )
    print(f"{len(table)} stories written to {args.out}")
    print(table.head(args.show)[["story", "size", "n_outlets", "headline"]].to_string(index=False))
    return 0


def _cmd_summarize(args: argparse.Namespace) -> int:
    from newslab.corpus import read_corpus
    from newslab.summaries import summarize

    df = read_corpus(args.stories)
    story = _select_story(df, args.story)
    print(summarize(story, method=args.method, max_words=args.max_words))
    return 0


def _select_story(df, story_id: str):
    if "story" not in df:
        raise ValueError("the corpus has no 'story' column: run `newslab cluster` first")
    story = df[df["story"].astype(str) == str(story_id)]
    if story.empty:
        raise ValueError(
            f"story {story_id!r} not found; known: {sorted(map(str, df['story'].unique()))[:20]}"
        )
    return story


def _cmd_coverage(args: argparse.Namespace) -> int:
    from newslab.attention import coverage
    from newslab.corpus import read_corpus
    from newslab.io import atomic_path
    from newslab.plots import plot_coverage

    c = coverage(read_corpus(args.corpus), freq=args.freq, by=args.by, tz=args.tz)
    if args.png:
        with atomic_path(args.png) as tmp:
            plot_coverage(c, top=args.top, value=args.value).savefig(tmp, format="png", dpi=120)
        print(f"figure written to {args.png}")
    if args.csv:
        with atomic_path(args.csv) as tmp:
            c.to_csv(tmp, index=False)
        print(f"table written to {args.csv}")
    if not (args.png or args.csv):
        print(c.to_string(index=False))
    if c.attrs.get("undated"):
        print(f"({c.attrs['undated']} undated articles not counted)")
    return 0


def _cmd_serve_sample(args: argparse.Namespace) -> int:
    from newslab.sample import run_sample_server

    run_sample_server(args.site, host=args.host)
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

    def cluster_args(p: argparse.ArgumentParser) -> None:
        corpus_arg(p)
        p.add_argument("--out", required=True, help="where to write the corpus with `story`")
        p.add_argument("--window", default="3D", help="time window (default: %(default)s)")
        p.add_argument("--threshold", type=float, default=None, help="similarity threshold")
        p.add_argument(
            "--time-penalty",
            type=float,
            default=None,
            help="extra similarity needed per window of time gap (default: adapts to the corpus)",
        )
        p.add_argument(
            "--day-penalty",
            type=float,
            default=0.0,
            help="extra similarity needed a day or more apart (default: %(default)s; "
            "0.5 with --time-penalty 0.3 suits day-precision headlines)",
        )
        p.add_argument(
            "--semantic-dims",
            type=int,
            default=None,
            help="latent (LSA) dimensions, 0 for none (default: 200 for titles only)",
        )
        p.add_argument(
            "--embedding-weight",
            type=float,
            default=None,
            help="weight of the headline word vectors, 0 for none (default: 0.3 for titles "
            "only, 0 with body text)",
        )
        p.add_argument(
            "--sentence-encoder",
            nargs="?",
            const="",
            default=None,
            metavar="MODEL_DIR",
            help="embed headlines with a local sentence-transformers model instead of the word "
            "vectors (slower, more accurate; needs sentence-transformers); without MODEL_DIR, the "
            "packaged all-MiniLM-L6-v2. Weight 0.5 and threshold 0.15 unless given",
        )
        p.add_argument("--no-time", action="store_true", help="ignore dates")
        p.add_argument("--show", type=int, default=20, help="stories to print")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    def summarize_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("stories", help="corpus with a `story` column (from `newslab cluster`)")
        p.add_argument("--story", required=True, help="story id")
        p.add_argument(
            "--method", default="centroid", choices=["lead", "centroid", "textrank", "mmr"]
        )
        p.add_argument("--max-words", type=int, default=150)

    def coverage_args(p: argparse.ArgumentParser) -> None:
        corpus_arg(p)
        p.add_argument("--freq", default="D", help="period: h, D, W, MS (default: %(default)s)")
        p.add_argument("--by", default="story", help="group column (default: %(default)s)")
        p.add_argument("--tz", default="UTC", help="display time zone")
        p.add_argument("--top", type=int, default=8)
        p.add_argument(
            "--value", default="articles", choices=["articles", "share", "relative_to_peak"]
        )
        p.add_argument("--png", help="write the chart here")
        p.add_argument("--csv", help="write the table here")

    def serve_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", default=None, help="site folder (default: the bundled sample)")
        p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")

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
        "cluster": ("group a corpus into stories", cluster_args, _cmd_cluster),
        "summarize": ("baseline summary of one story", summarize_args, _cmd_summarize),
        "score": (
            "score a summary against its story's sources",
            add_score_arguments,
            run_score_command,
        ),
        "coverage": ("coverage over time: table and chart", coverage_args, _cmd_coverage),
        "sample-serve": (
            "serve the bundled sample news sites on 127.0.0.1 until Ctrl-C",
            serve_args,
            _cmd_serve_sample,
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
    except (FileNotFoundError, ImportError, ValueError) as exc:
        print(f"newslab {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"newslab {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
