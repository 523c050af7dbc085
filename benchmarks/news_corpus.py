"""Generate N news article pages (complete HTML with boilerplate) for benchmarks."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.nte_text import _claim_sentence, _prose_sentence  # noqa: E402

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<meta name="author" content="Staff Reporter">
<link rel="canonical" href="https://bench-news.test/{slug}">
<script>window.ads = {{slots: [300, 250]}};</script></head>
<body><nav><a href="/">Home</a> <a href="/trade">Trade</a></nav>
<div class="ticker">KOSPI +1.2% | NIKKEI -0.4%</div>
<article><h1>{title}</h1>{paragraphs}</article>
<aside class="promo">Subscribe for $2.99/month and save 40%</aside>
<footer>&copy; 2025 Bench News</footer></body></html>
"""


def article(i: int, seed: int = 5) -> tuple[str, str]:
    """Return (slug, html) of article ``i``."""
    r = random.Random(seed * 100_003 + i)
    date = f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    title = f"Trade barriers report {i}: offsets, tariffs and procurement"
    paragraphs = "".join(
        "<p>" + " ".join(_claim_sentence(r) if r.random() < 0.4 else _prose_sentence(r)
                         for _ in range(r.randint(2, 5))) + "</p>"
        for _ in range(r.randint(4, 8))
    )
    slug = f"article-{i:04d}"
    return slug, PAGE.format(title=title, date=date, slug=slug, paragraphs=paragraphs)


def write_news(folder: Path, count: int, start: int = 0) -> list[str]:
    """Write articles ``start`` … ``start + count - 1`` into ``folder``; return their slugs."""
    folder.mkdir(parents=True, exist_ok=True)
    slugs = []
    for i in range(start, start + count):
        slug, html = article(i)
        (folder / f"{slug}.html").write_text(html, "utf-8")
        slugs.append(slug)
    return slugs
