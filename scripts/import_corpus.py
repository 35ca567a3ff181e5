#!/usr/bin/env python
"""Convert annotated corpora to the corpus JSONL: `python scripts/import_corpus.py {conll,brat,labelstudio} INPUT... -o OUT.jsonl --lang uk`.

conll: token-per-line files (IOB1, IOB2, BIOES). brat: NAME.ann/NAME.txt pairs or folders of them.
labelstudio: Label Studio JSON exports. Bad input is one `error: FILE:LINE: ...` line and exit status 2;
OUT is written only when every input converted (never over an input), then one summary line is printed.
The labels are the input's own; see README "Bringing your own corpus" and `--help` of each format.
"""
import argparse
import re
import sys
import time

from newsattrib.errors import ArgumentParser, Interrupted, NewsAttribError, positive_int, user_errors
from newsattrib.fileio import check_output_path


def main() -> None:
    args = parser().parse_args()
    with user_errors():
        started = time.perf_counter()
        resolve(args)
        from newsattrib.corpus import write_corpus
        from newsattrib.importers.spans import Options, Summary

        options = Options(lang=args.lang, overlapping=args.overlapping, drop_labels=frozenset(args.drop_labels),
                          rename=args.rename, claim_labels=frozenset(getattr(args, "claim_labels", ())),
                          relation_types=frozenset(getattr(args, "relation_types", ())))
        summary = Summary()
        sources, records = plan(args, options, summary)
        check_output_path(args.output, sources)
        out, first = [], {}
        try:
            with progress_bar(args.progress) as bar:
                for source, record in records:
                    if record["id"] in first:
                        raise NewsAttribError(f"{source}: article id {record['id']!r} is also that of an article of "
                                              f"{first[record['id']]}; convert them to separate files")
                    first[record["id"]] = source
                    summary.add(record)
                    out.append(record)
                    bar.update()
        except KeyboardInterrupt:
            raise Interrupted(f"interrupted after {len(out)} articles; nothing was written") from None
        if not out:
            raise NewsAttribError(f"{', '.join(map(str, args.inputs))}: no articles found")
        write_corpus(args.output, out)
        print(f"{args.output}: {summary.line()} ({time.perf_counter() - started:.1f} s)")


def plan(args, options, summary):
    """The files the conversion reads (none may be the output) and the lazy stream of (input, record)."""
    if args.format == "conll":
        from newsattrib.importers.conll import ConllOptions, read_conll
        conll = ConllOptions(scheme=args.scheme, tag_column=args.tag_column, blank_line=args.blank_line,
                             sentences_per_article=args.sentences_per_article, spacing=args.spacing,
                             repair_tags=args.repair_tags, id_prefix=args.id_prefix)
        if args.id_prefix and len(args.inputs) > 1:
            raise NewsAttribError("--id-prefix names the articles of one input; give one input per run")
        return args.inputs, ((f, r) for f in args.inputs for r in read_conll(f, options, conll, summary))
    if args.format == "brat":
        from newsattrib.importers.brat import documents, read_brat
        docs = documents(args.inputs)
        files = [p for ann, _ in docs for p in (ann, ann.with_suffix(".txt"))]
        return files, ((ann, read_brat(ann, doc_id, options, args.discontinuous, summary)) for ann, doc_id in docs)
    from newsattrib.importers.labelstudio import read_labelstudio
    return args.inputs, ((f, r) for f in args.inputs for r in read_labelstudio(f, options, summary, args.text_key))


def progress_bar(wanted):
    from tqdm.auto import tqdm
    return tqdm(unit=" articles", desc="import", disable=not (sys.stderr.isatty() if wanted is None else wanted),
                dynamic_ncols=True)


def language(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO 639 code such as en, uk, ru")
    return value


def names(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def renames(value: str) -> dict[str, str]:
    pairs = [p.split("=") for p in names(value)]
    if any(len(p) != 2 or not all(p) for p in pairs):
        raise argparse.ArgumentTypeError(f"{value!r} is not OLD=NEW[,OLD=NEW...]")
    return dict(pairs)


def parser() -> ArgumentParser:
    common = ArgumentParser(add_help=False)
    common.add_argument("inputs", nargs="+", metavar="INPUT")
    common.add_argument("-o", "--output", required=True, help="the JSONL to write (never one of the inputs)")
    common.add_argument("--lang", type=language, required=True, help="the articles' language (en, uk, ru, ...)")
    common.add_argument("--overlapping", choices=("error", "keep-longest"), default="error",
                        help="overlapping or nested entities: an error (default), or keep the longest")
    common.add_argument("--drop-labels", type=names, default=[], metavar="L1,L2", help="entity labels to leave out")
    common.add_argument("--rename", type=renames, default={}, metavar="OLD=NEW,...", help="entity labels to rename")
    common.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar (default: when standard error is a terminal)")
    links = ArgumentParser(add_help=False)
    links.add_argument("--claim-labels", type=names, default=["Claim", "Quote"], metavar="L1,L2",
                       help="span labels that are attribution claims, not entities (default: Claim,Quote)")
    links.add_argument("--relation-types", type=names, default=[], metavar="R1,R2",
                       help="relation/event types that link a claim to its sources (default: any)")

    ap = ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="format", required=True, parser_class=ArgumentParser)
    conll = sub.add_parser("conll", parents=[common], help="token-per-line files (CoNLL, IOB1/IOB2/BIOES)")
    conll.add_argument("--scheme", choices=("iob1", "iob2", "bioes"), default="iob2")
    conll.add_argument("--tag-column", type=positive_int, help="column of the tag, 1 = the token (default: the last)")
    conll.add_argument("--blank-line", choices=("article", "sentence"),
                       help="without -DOCSTART-, what a blank line ends (default: article, or sentence with "
                            "--sentences-per-article); with -DOCSTART-, always a sentence")
    conll.add_argument("--sentences-per-article", type=positive_int, metavar="N",
                       help="cut each document into articles of N sentences (blank lines are sentence breaks)")
    conll.add_argument("--spacing", choices=("tokens", "natural"), default="tokens",
                       help="tokens: one space between all tokens; natural: none before closing punctuation "
                            "or after opening brackets")
    conll.add_argument("--repair-tags", action="store_true",
                       help="read tag sequences the scheme forbids as conlleval does, instead of stopping")
    conll.add_argument("--id-prefix", help="article ids are PREFIX-1, PREFIX-2, ... (default: the file's name)")
    brat = sub.add_parser("brat", parents=[common, links], help="brat standoff: NAME.ann + NAME.txt, or folders")
    brat.add_argument("--discontinuous", choices=("error", "hull"), default="error",
                      help="a discontinuous span: an error (default), or the span from its first to last fragment")
    ls = sub.add_parser("labelstudio", parents=[common, links], help="Label Studio JSON exports")
    ls.add_argument("--text-key", default="text", help="the data key that holds the text (default: text)")
    return ap


def resolve(args) -> None:
    """Options that depend on each other."""
    if args.format == "conll":
        if args.sentences_per_article and args.blank_line == "article":
            raise NewsAttribError("--sentences-per-article groups sentences, so blank lines must be sentence "
                                  "breaks: leave out --blank-line article")
        args.blank_line = args.blank_line or ("sentence" if args.sentences_per_article else "article")


if __name__ == "__main__":
    main()
