"""Prediction on several processes (``accelerate launch --num_processes N scripts/predict.py ...``).

Articles go in blocks; each process predicts its contiguous share of a block
(``PartialState.split_between_processes``) and the main process receives the block's records in input
order (``gather_object``), so one writer (``fileio.ResumableJsonl``) keeps the output ordered and
resumable. With one process this is ``Pipeline.predict_stream``.
"""
from __future__ import annotations

from typing import Iterator

from accelerate import PartialState
from accelerate.utils import broadcast_object_list, gather_object

BLOCK_BATCHES = 4  # batches per process in one block: enough work between gathers, little held back


def shared_value(state: PartialState, value):
    """The main process's ``value`` on every process (e.g. how many records a resumed output already has)."""
    if state.num_processes == 1:
        return value
    box = [value]
    broadcast_object_list(box)
    return box[0]


def predict_shared(pipe, articles: list, state: PartialState) -> Iterator[dict]:
    """Records of ``articles`` in input order on the main process (other processes yield nothing); each
    block's records are given once the whole block is predicted."""
    if state.num_processes == 1:
        yield from pipe.predict_stream(articles)
        return
    block = state.num_processes * pipe.batch_size * BLOCK_BATCHES
    for start in range(0, len(articles), block):
        with state.split_between_processes(articles[start:start + block]) as mine:
            records = gather_object(list(pipe.predict_stream(mine)))
        if state.is_main_process:
            yield from records
