"""The bench's targets as a picture: one bar per target, its value against the line it must reach.

Written from the JSON report alone (like the table), as plain SVG with no plotting library, so the
documentation can show the latest run (`make bench` writes `build/bench/bench.svg`; the performance page
shows a copy in `docs/assets/bench.svg`).
"""

from __future__ import annotations

from html import escape
from typing import Any

ROW = 26
LABEL_WIDTH = 370
BAR_WIDTH = 360
VALUE_WIDTH = 150
MET = "#2e7d32"
MISSED = "#c62828"


def chart(report: dict[str, Any]) -> str:
    """An SVG document: each target's value as a bar, the target as a tick, green when met."""
    targets = report["targets"]
    meta = report["meta"]
    height = ROW * (len(targets) + 2)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    title = f"attachkit bench ({meta['mode']}), {meta['date']}: {sum(t['met'] for t in targets)} of {len(targets)} met"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="8" y="18" font-weight="bold">{escape(title)}</text>',
    ]
    for index, target in enumerate(targets):
        y = ROW * (index + 1) + 6
        kind, limit_text = target["target"].split(" ", 1)
        limit = float(limit_text)
        value = float(target["value"])
        # Each row has its own scale (ratios and MiB share the picture): the larger of value and target fills
        # 80% of the bar, so the tick and the bar end can always be told apart.
        scale = 0.8 * BAR_WIDTH / max(value, limit, 1e-9)
        colour = MET if target["met"] else MISSED
        label = f"[{target['section']}] {target['what']}"
        parts += [
            f'<text x="8" y="{y + 14}">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{value * scale:.1f}" height="14" fill="{colour}"/>',
            f'<line x1="{LABEL_WIDTH + limit * scale:.1f}" y1="{y}" x2="{LABEL_WIDTH + limit * scale:.1f}" '
            f'y2="{y + 20}" stroke="#000" stroke-width="2"/>',
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 14}">{value:.3g} (target {escape(kind)} '
            f"{limit:g})</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
