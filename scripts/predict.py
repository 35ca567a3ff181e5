#!/usr/bin/env python
"""Attributions and entities for new texts: `python scripts/predict.py MODEL_DIR FILE... -o OUT.jsonl`.

FILE is a `.jsonl` of records with `text` (and optional `id`, `lang`) or a plain-text file (one
article). OUT is JSONL in the corpus format, with a `score` on every entity and attribution.

Records are written as they are predicted, in input order, to OUT.partial; OUT appears when all are
done. Interrupted (Ctrl-C), the same command again continues after the last whole record.

On several processes (`accelerate launch --num_processes 2 scripts/predict.py ...`, CPU or one GPU
each), every process predicts its share and the main process writes all records, in input order.
"""
import argparse
import hashlib
import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from newsattrib.errors import ArgumentParser, Interrupted, positive_int, user_errors
from newsattrib.fileio import ResumableJsonl, check_output_path, read_model_folder


def main() -> None:
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a model folder written by training (outputs/.../model)")
    ap.add_argument("files", nargs="+")
    ap.add_argument("-o", "--output", help="JSONL to write (default: standard output)")
    ap.add_argument("--lang", help="language of inputs that do not say (en, uk, ru, ...)")
    ap.add_argument("--batch-size", type=positive_int, default=4, help="articles per forward pass (1 or more)")
    ap.add_argument("--device", default="auto", help="cpu, cuda, cuda:N, or auto: the GPU where there is one")
    ap.add_argument("--int8", action="store_true",
                    help="int8 dynamic quantization of the attention projections (CPU): 1.2-1.3x faster, test entity F1 0.868 -> 0.861 (bench_infer.py)")
    ap.add_argument("--backend", choices=("torch", "onnx"), default="torch",
                    help="onnx: the model folder's model.onnx (written by scripts/export.py) in onnxruntime, on the CPU")
    ap.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="show a progress bar (default: when standard error is a terminal)")
    args = ap.parse_args()
    with user_errors():
        # everything a user gave is checked before the model loads, and nothing they gave is written to
        if args.output is not None:
            check_output_path(args.output, args.files, [args.model])
        read_model_folder(args.model)
        from newsattrib.pipeline import load, read_texts

        inputs = [(f, a) for f in args.files for a in read_texts(f, args.lang)]
        articles = [a for _, a in inputs]
        from accelerate import PartialState
        state = PartialState()
        device = state.device if args.device == "auto" and state.num_processes > 1 else args.device
        pipe = load(args.model, args.batch_size, device=device, backend=args.backend, int8=args.int8)
        progress = sys.stderr.isatty() if args.progress is None else args.progress
        if state.is_main_process:
            warn_untrained_languages(inputs, pipe.model.spec.languages)
        if args.output is None:
            to_stdout(pipe, articles, progress, state)
        else:
            to_file(pipe, articles, args, progress, state)


def warn_untrained_languages(inputs, trained: list[str]) -> None:
    """One line for the articles whose language the model was not trained on (those without one pass)."""
    count, first = Counter(), {}
    for f, a in inputs:
        if a.lang and a.lang not in trained:
            count[a.lang] += 1
            first.setdefault(a.lang, f)
    if count:
        langs = ", ".join(f"{lang} ({n} article{'s' if n > 1 else ''}, first in {first[lang]})"
                          for lang, n in count.items())
        print(f"warning: the model was not trained on {langs}; it was trained on {', '.join(trained) or '?'}, "
              "so expect poorer predictions", file=sys.stderr)


def bar(total: int, initial: int, progress: bool):
    from tqdm.auto import tqdm
    return tqdm(total=total, initial=initial, unit="article", desc="predict", disable=not progress,
                dynamic_ncols=True)


def to_stdout(pipe, articles, progress: bool, state) -> None:
    """Records printed as they finish. A printed line cannot be taken back, so Ctrl-C is held until the
    record being printed is out and counted (a second Ctrl-C stops at once)."""
    from newsattrib.scaleout import predict_shared
    done, asked = 0, []

    def hold(signum, frame):
        if asked:
            raise KeyboardInterrupt
        asked.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        with bar(len(articles), 0, progress and state.is_main_process) as b:
            for rec in predict_shared(pipe, articles, state):
                sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
                sys.stdout.flush()
                done += 1
                b.update()
                if asked:
                    raise KeyboardInterrupt
    except BrokenPipeError:  # `predict.py ... | head`: the reader has gone, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(141) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted after {done} of {len(articles)} articles (written to standard output; "
                          "give -o FILE to be able to continue)") from None
    finally:
        signal.signal(signal.SIGINT, previous)


def to_file(pipe, articles, args, progress: bool, state) -> None:
    """Records appended to OUT.partial by the main process as they arrive; on other processes this only
    predicts their shares."""
    from newsattrib.scaleout import predict_shared, shared_value
    total = len(articles)

    def same_article(i, rec):  # a kept record must be the prediction for the article at its place
        return i < total and rec.get("id") == articles[i].id and rec.get("text") == articles[i].text \
            and rec.get("lang") == (articles[i].lang or "")

    out = ResumableJsonl(args.output, run_key(args), check=same_article) if state.is_main_process else None
    done = shared_value(state, out.done if out else None)
    # Ctrl-C (SIGINT) stops the run and keeps what is written, also where it was started with SIGINT
    # ignored (a shell's `cmd &`), where Python would otherwise leave it ignored
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if out and out.restarted:
            print(f"note: {out.partial} was for other inputs or another model; starting again", file=sys.stderr)
        elif out and out.done:
            print(f"continuing: {out.done} of {total} articles are already in {out.partial}", file=sys.stderr)
        with bar(total, done, progress and out is not None) as b:
            for rec in predict_shared(pipe, articles[done:], state):
                out.append(rec)
                b.update()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the partial file
        if out is None:  # the main process says what was kept
            raise SystemExit(130) from None
        out.close()
        raise Interrupted(f"interrupted after {out.done} of {total} articles; "
                          "run the same command again to continue") from None
    except BaseException:
        if out:
            out.close()
        raise
    finally:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous)
    if out:
        out.commit()
        print(f"{total} records written to {args.output}", file=sys.stderr)


def run_key(args) -> str:
    """What the records depend on: the model's files (name, size, time) and the inputs' bytes and --lang."""
    h = hashlib.sha256()
    model = Path(args.model)
    for p in sorted(model.iterdir()):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    for f in args.files:
        h.update(hashlib.sha256(Path(f).read_bytes()).digest())
    h.update(f"lang={args.lang}".encode())
    return h.hexdigest()


if __name__ == "__main__":
    main()
