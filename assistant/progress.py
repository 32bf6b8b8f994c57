"""A progress callback (stage, done, total) drawn as tqdm bars on stderr: the CLI's `index` and the
server console while it builds or re-indexes."""
from __future__ import annotations

import sys
from typing import Any, Callable

LABELS = {"load": "Đọc tài liệu / loading", "chunk": "Cắt đoạn / chunking", "embed": "Nhúng vector / embedding",
          "keywords": "Từ khóa / keywords"}


def progress_bar() -> Callable[[str, int, int], None]:
    """A tqdm progress callback on stderr (stage, done, total)."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=LABELS.get(stage, stage), unit=" items", file=sys.stderr, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update
