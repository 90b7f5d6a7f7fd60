#!/usr/bin/env python3
"""Development matrix of OCR conditions: typewritten and badly scanned pages of the dev truths.

Every truth `un-NNN.truth.txt` of the shipped dev set is laid out on A4 pages, rendered under a
fixed, seeded set of image conditions (typewriter / carbon copy / photocopy / low-resolution
JPEG) and read by Tesseract with the Spanish and with the English model. One Tesseract call per
document and model writes txt + hOCR + ALTO for all pages of the document.

Output (default ../data/matrix beside the checkout):
  set/un-NNN.truth.txt                  copied from the dev set
  set/un-NNN.<cond>.ocr.txt             Tesseract's txt, untouched (pages separated by \\f)
  layout/<cond>/un-NNN.hocr, un-NNN.xml multi-page hOCR and ALTO
  layout/<cond>/un-NNN.pK.png|jpg       page images (hard links shared by -spa and -eng),
                                        referenced by relative name from the hOCR/ALTO
  layout/<cond>/un-NNN.list             the image list given to Tesseract
  meta/un-NNN.json                      per-document parameters, seeds, timings, scores
  manifest.json                         everything, plus totals per condition

Usage: make_matrix.py [--docs un-005,un-008] [--limit N] [--conditions tw-clean,serif-lowres]
                      [--langs spa,eng] [--seed N] [--out DIR] [--dev DIR] [--force]
                      [--manifest-only]
Needs: tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng fonts-urw-base35 fonts-liberation
(Debian), Pillow numpy pyphen (pip). Single-threaded: OMP_THREAD_LIMIT=1 is set for Tesseract;
pin the whole run to one core with `taskset -c 1`.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import pyphen
from PIL import Image, ImageDraw, ImageFilter, ImageFont
import PIL

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DEV = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "eval", "dev"))
# Beside the checkout, not in it: 0.8 GB of page images.
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "data", "matrix"))
GLOBAL_SEED = 20250611

# ----------------------------------------------------------------------------------------------
# fixed parameters

A4_MM = (210.0, 297.0)
RENDER_DPI = 300          # every page is laid out and rendered at 300 dpi, then degraded
MARGIN_CM = 2.5

FONTS = {
    "nimbus-mono-ps": "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf",
    "nimbus-roman": "/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf",
    "liberation-serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
}

# layouts: how the text is set on the page (shared by the image conditions that name them)
LAYOUTS = {
    "typewriter": {
        "font": "nimbus-mono-ps", "pt": 12, "line_spacing": 1.0, "align": "ragged",
        "hyphenate": False,
        # per-character strike variation (all subtle)
        "strike": {"intensity_mean": 0.93, "intensity_sd": 0.05, "intensity_min": 0.75,
                   "light_p": 0.09, "light_range": [0.40, 0.65],
                   "half_p": 0.04, "half_min": 0.5,
                   "dy": [-1, 0, 1], "dy_p": [0.2, 0.6, 0.2],
                   "dx": [-1, 0, 1], "dx_p": [0.15, 0.7, 0.15]},
                # ink texture inside strokes: fine grain (cell 2 px) and slow ribbon wear (cell 60 px)
        "ribbon_texture": {"grain": 0.30, "grain_cell": 2, "wear": 0.12, "wear_cell": 60,
                           "light_grain": [0.55, 1.0]},
    },
    "serif-nimbus": {
        "font": "nimbus-roman", "pt": 11, "line_spacing": 1.2, "align": "justify",
        "hyphenate": True, "ribbon_texture": None,
    },
    "serif-liberation": {
        "font": "liberation-serif", "pt": 11, "line_spacing": 1.2, "align": "justify",
        "hyphenate": True, "ribbon_texture": None,
    },
}
HYPHENATION = {"dict": "es_ES", "left": 2, "right": 2, "min_word": 5}

# image conditions: a layout plus a degradation; each is read with every language in LANGS
IMAGE_CONDITIONS = {
    "tw-clean": {
        "layout": "typewriter",
        "description": "typewritten letter: Nimbus Mono PS 12 pt (10 pitch), ragged right, no "
                       "hyphenation, per-character ink/baseline jitter, 300 dpi PNG",
        "degrade": {"kind": "typewriter", "dpi": 300, "format": "png",
                    "angle_max": 0.3, "ink_blur": 0.5, "paper": 247, "paper_noise": 3.0,
                    "ink_level": 28},
    },
    "tw-carbon": {
        "layout": "typewriter",
        "description": "the same typewritten page as a carbon copy / photocopy: spread, faded uneven "
                       "ink, blur 2 px, low contrast on grey paper, speckles, 200 dpi PNG",
        "degrade": {"kind": "carbon", "dpi": 200, "format": "png",
                    "angle_max": 0.8, "spread": 3, "grain": 0.0, "ink_blur": 0.5, "fade_range": [0.45, 0.9],
                    "blur": 2.0, "paper": 196, "paper_gradient": 6, "ink_level": 78,
                    "noise_sd": 4.0, "speckle_density": 0.0006, "speckle_dark": [70, 150]},
    },
    "serif-photocopy": {
        "layout": "serif-nimbus",
        "description": "photocopy: Nimbus Roman 11 pt justified with Spanish hyphenation, heavy "
                       "(dilated) strokes, steep contrast (thresholded), toner specks, skew, "
                       "300 dpi bilevel PNG",
        "degrade": {"kind": "photocopy", "dpi": 300, "format": "png",
                    "angle_range": [0.3, 1.0], "dilate": 3, "blur": 0.8,
                    "noise_sd": 0.10, "threshold": 0.45,
                    "specks_per_page": [250, 600], "speck_radius": [0.5, 2.2],
                    "clusters_per_page": [2, 6]},
    },
    "serif-lowres": {
        "layout": "serif-liberation",
        "description": "low-resolution scan: Liberation Serif 11 pt justified with Spanish "
                       "hyphenation, thin (partly eroded) strokes, 150 dpi, blur 0.8 px, JPEG "
                       "quality 35",
        "degrade": {"kind": "lowres", "dpi": 150, "format": "jpg",
                    "angle_max": 0.5, "thin": 0.75, "paper": 242, "ink_level": 30, "paper_noise": 4.0,
                    "blur": 0.8, "jpeg_quality": 35},
    },
}
LANGS = ["spa", "eng"]


# ----------------------------------------------------------------------------------------------
# seeds

def derive_seed(global_seed, *parts):
    h = hashlib.sha256(("|".join([str(global_seed)] + [str(p) for p in parts])).encode())
    return int.from_bytes(h.digest()[:8], "big")


def rng_for(global_seed, *parts):
    return np.random.Generator(np.random.PCG64(derive_seed(global_seed, *parts)))


# ----------------------------------------------------------------------------------------------
# layout

def px(mm, dpi=RENDER_DPI):
    return int(round(mm / 25.4 * dpi))


PAGE_W, PAGE_H = px(A4_MM[0]), px(A4_MM[1])
MARGIN = px(MARGIN_CM * 10)


def load_font(layout):
    size = int(round(layout["pt"] * RENDER_DPI / 72))
    return ImageFont.truetype(FONTS[layout["font"]], size, layout_engine=ImageFont.Layout.BASIC)


_PUNCT_L = "¿¡(\"'«“‘["
_PUNCT_R = ".,;:!?)\"'»”’]"


def hyphen_points(word, dic):
    """Candidate breaks in `word`: (prefix shown on the line incl. any hyphen, rest)."""
    out = []
    # an existing hyphen inside a compound: break after it, adding nothing
    for m in re.finditer(r"(?<=\w)-(?=\w)", word):
        out.append((word[:m.end()], word[m.end():]))
    core_start = len(word) - len(word.lstrip(_PUNCT_L))
    core_end = len(word.rstrip(_PUNCT_R))
    core = word[core_start:core_end]
    if (len(core) >= HYPHENATION["min_word"] and core.isalpha()
            and not (core.isupper() and len(core) > 1)):
        for p in dic.positions(core):
            i = core_start + p
            out.append((word[:i] + "-", word[i:]))
    out.sort(key=lambda x: len(x[0]))
    return out


def layout_paragraph(words, width_of, space_w, max_w, dic):
    """Greedy fill; returns lines as lists of word strings (pieces of hyphenated words)."""
    lines, cur, cur_w = [], [], 0.0
    queue = list(words)
    while queue:
        w = queue.pop(0)
        ww = width_of(w)
        need = ww if not cur else cur_w + space_w + ww
        if need <= max_w:
            cur.append(w)
            cur_w = need
            continue
        if dic is not None:
            best = None
            for pre, rest in hyphen_points(w, dic):
                pw = width_of(pre)
                if (pw if not cur else cur_w + space_w + pw) <= max_w:
                    best = (pre, rest)
            if best is not None:
                cur.append(best[0])
                lines.append(cur)
                cur, cur_w = [], 0.0
                queue.insert(0, best[1])
                continue
        if not cur:  # a single word wider than the line: cut it hard
            n = len(w)
            while n > 1 and width_of(w[:n]) > max_w:
                n -= 1
            lines.append([w[:n]])
            queue.insert(0, w[n:])
            continue
        lines.append(cur)
        cur, cur_w = [], 0.0
        queue.insert(0, w)
    if cur:
        lines.append(cur)
    return lines


def layout_document(text, layout):
    """Pages of lines. Each line: (list of (x, word) runs, is_paragraph_last_line)."""
    font = load_font(layout)
    size = font.size
    line_h = int(round(size * layout["line_spacing"]))
    max_w = PAGE_W - 2 * MARGIN
    mono = layout["align"] == "ragged" and layout["font"] == "nimbus-mono-ps"
    pitch = font.getlength("M")
    if mono:
        max_w = int(max_w // pitch) * pitch
    cache = {}

    def width_of(s):
        if s not in cache:
            cache[s] = len(s) * pitch if mono else font.getlength(s)
        return cache[s]

    space_w = pitch if mono else font.getlength(" ")
    dic = pyphen.Pyphen(lang=HYPHENATION["dict"], left=HYPHENATION["left"],
                        right=HYPHENATION["right"]) if layout["hyphenate"] else None
    paragraphs = [p.split() for p in re.split(r"\n\s*\n", text) if p.strip()]
    all_lines = []  # None = blank separator line
    for i, words in enumerate(paragraphs):
        if i:
            all_lines.append(None)
        plines = layout_paragraph(words, width_of, space_w, max_w, dic)
        for j, ln in enumerate(plines):
            last = j == len(plines) - 1
            runs, x = [], 0.0
            if layout["align"] == "justify" and not last and len(ln) > 1:
                total = sum(width_of(w) for w in ln)
                gap = (max_w - total) / (len(ln) - 1)
            else:
                gap = space_w
            for w in ln:
                runs.append((x, w))
                x += width_of(w) + gap
            all_lines.append(runs)
    per_page = (PAGE_H - 2 * MARGIN) // line_h
    pages, cur = [], []
    for ln in all_lines:
        if ln is None and not cur:
            continue  # no blank line at the top of a page
        cur.append(ln)
        if len(cur) == per_page:
            pages.append(cur)
            cur = []
    while cur and cur[-1] is None:
        cur.pop()
    if cur:
        pages.append(cur)
    geo = {"font_px": size, "line_px": line_h, "lines_per_page": per_page,
           "text_width_px": int(max_w), "pitch_px": pitch if mono else None}
    return pages, font, geo


# ----------------------------------------------------------------------------------------------
# rendering: an "ink" array in [0, 1] at RENDER_DPI

_GLYPHS = {}


def glyph(font, ch):
    key = (font.path, font.size, ch)
    if key not in _GLYPHS:
        x0, y0, x1, y1 = font.getbbox(ch, anchor="ls")
        w, h = max(x1 - x0, 1), max(y1 - y0, 1)
        im = Image.new("L", (w, h), 0)
        ImageDraw.Draw(im).text((-x0, -y0), ch, font=font, fill=255, anchor="ls")
        _GLYPHS[key] = (np.asarray(im, dtype=np.float32) / 255.0, x0, y0)
    return _GLYPHS[key]


def smooth_field(rng, shape, cell, lo, hi):
    """Low-frequency random field in [lo, hi] (bicubic upsampling of coarse noise)."""
    h, w = shape
    small = rng.random((max(h // cell, 2) + 2, max(w // cell, 2) + 2)).astype(np.float32)
    im = Image.fromarray((small * 255).astype(np.uint8), "L").resize(
        (w + 2 * cell, h + 2 * cell), Image.BICUBIC)
    a = np.asarray(im, dtype=np.float32)[cell:cell + h, cell:cell + w] / 255.0
    a = (a - a.min()) / max(a.max() - a.min(), 1e-6)
    return lo + (hi - lo) * a


def render_typewriter(page, font, layout, rng):
    ink = np.zeros((PAGE_H, PAGE_W), np.float32)
    st = layout["strike"]
    line_h = int(round(font.size * layout["line_spacing"]))
    pitch = font.getlength("M")
    base0 = MARGIN + int(round(font.size * 0.8))
    for li, runs in enumerate(page):
        if runs is None:
            continue
        y_base = base0 + li * line_h
        for x, word in runs:
            col0 = int(round(x / pitch))
            for k, ch in enumerate(word):
                g, gx0, gy0 = glyph(font, ch)
                if rng.random() < st["light_p"]:
                    inten = rng.uniform(*st["light_range"])
                else:
                    inten = float(np.clip(rng.normal(st["intensity_mean"], st["intensity_sd"]),
                                          st["intensity_min"], 1.0))
                dy = int(rng.choice(st["dy"], p=st["dy_p"]))
                dx = int(rng.choice(st["dx"], p=st["dx_p"]))
                half = rng.random() < st["half_p"]
                top_light = rng.random() < 0.5
                patch = g * inten
                if inten < st["light_range"][1]:  # a weak strike is also patchy
                    lg = layout["ribbon_texture"]["light_grain"]
                    patch = patch * rng.uniform(lg[0], lg[1], g.shape).astype(np.float32)
                if half:
                    ramp = np.linspace(st["half_min"], 1.0, g.shape[0], dtype=np.float32)
                    if not top_light:
                        ramp = ramp[::-1]
                    patch = patch * ramp[:, None]
                X = MARGIN + int(round((col0 + k) * pitch)) + gx0 + dx
                Y = y_base + gy0 + dy
                h, w = patch.shape
                sub = ink[Y:Y + h, X:X + w]
                np.maximum(sub, patch[:sub.shape[0], :sub.shape[1]], out=sub)
    tex = layout["ribbon_texture"]
    if tex:
        ink *= smooth_field(rng, ink.shape, tex["grain_cell"], 1.0 - tex["grain"], 1.0)
        ink *= smooth_field(rng, ink.shape, tex["wear_cell"], 1.0 - tex["wear"], 1.0)
    return ink


def render_serif(page, font, layout):
    im = Image.new("L", (PAGE_W, PAGE_H), 0)
    d = ImageDraw.Draw(im)
    line_h = int(round(font.size * layout["line_spacing"]))
    base0 = MARGIN + int(round(font.size * 0.8))
    for li, runs in enumerate(page):
        if runs is None:
            continue
        y = base0 + li * line_h
        for x, word in runs:
            d.text((MARGIN + x, y), word, font=font, fill=255, anchor="ls")
    return np.asarray(im, dtype=np.float32) / 255.0


def to_L(a):
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "L")


def ink_image(ink):
    return to_L(ink * 255.0)


def rotate_ink(ink, angle):
    if abs(angle) < 1e-6:
        return ink
    im = ink_image(ink).rotate(angle, resample=Image.BICUBIC, fillcolor=0)
    return np.asarray(im, dtype=np.float32) / 255.0


def blur(a_img, sigma):
    return a_img.filter(ImageFilter.GaussianBlur(sigma)) if sigma > 0 else a_img


def degrade(ink, cond, rng):
    """Returns (PIL image, dict of the page's drawn parameters)."""
    p = IMAGE_CONDITIONS[cond]["degrade"]
    kind = p["kind"]
    info = {}
    if kind == "typewriter":
        angle = float(rng.uniform(-p["angle_max"], p["angle_max"]))
        info["angle"] = round(angle, 3)
        a = np.asarray(blur(ink_image(rotate_ink(ink, angle)), p["ink_blur"]),
                       dtype=np.float32) / 255.0
        paper = p["paper"] + rng.normal(0, p["paper_noise"], a.shape).astype(np.float32)
        g = paper - a * (paper - p["ink_level"])
        return to_L(g), info
    if kind == "carbon":
        angle = float(rng.uniform(-p["angle_max"], p["angle_max"]))
        info["angle"] = round(angle, 3)
        a = ink * smooth_field(rng, ink.shape, 180, *p["fade_range"])
        a = rotate_ink(a, angle)
        im = ink_image(a)
        if p["spread"]:  # carbon spreads: bolder strokes before the blur
            im = im.filter(ImageFilter.MaxFilter(p["spread"]))
        if p["grain"]:  # grainy carbon deposit
            a = np.asarray(im, dtype=np.float32) / 255.0
            im = ink_image(a * smooth_field(rng, a.shape, 2, 1.0 - p["grain"], 1.0))
        im = blur(im, p["ink_blur"])
        w, h = px(A4_MM[0], p["dpi"]), px(A4_MM[1], p["dpi"])
        im = blur(im.resize((w, h), Image.LANCZOS), p["blur"])
        a = np.asarray(im, dtype=np.float32) / 255.0
        grad = smooth_field(rng, a.shape, 400, -p["paper_gradient"], p["paper_gradient"])
        paper = p["paper"] + grad
        g = paper - a * (paper - p["ink_level"])
        g += rng.normal(0, p["noise_sd"], g.shape).astype(np.float32)
        n = int(p["speckle_density"] * g.size)
        ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
        dark = rng.uniform(*p["speckle_dark"], n).astype(np.float32)
        g[ys, xs] = np.minimum(g[ys, xs], dark)
        big = rng.random(n) < 0.3  # some specks 2 px wide
        ys2, xs2 = ys[big], np.minimum(xs[big] + 1, w - 1)
        g[ys2, xs2] = np.minimum(g[ys2, xs2], dark[big])
        info["specks"] = n
        return to_L(g), info
    if kind == "photocopy":
        angle = float(rng.uniform(*p["angle_range"]) * rng.choice([-1.0, 1.0]))
        info["angle"] = round(angle, 3)
        im = ink_image(ink)
        if p["dilate"]:
            im = im.filter(ImageFilter.MaxFilter(p["dilate"]))
        im = blur(im.rotate(angle, resample=Image.BICUBIC, fillcolor=0), p["blur"])
        a = np.asarray(im, dtype=np.float32) / 255.0
        a += rng.normal(0, p["noise_sd"], a.shape).astype(np.float32)
        # toner specks: isolated dots, plus a few dusty clusters
        H, W = a.shape
        n = int(rng.integers(*p["specks_per_page"]))
        cy, cx = rng.integers(0, H, n), rng.integers(0, W, n)
        nc = int(rng.integers(*p["clusters_per_page"]))
        centres = np.stack([rng.integers(0, H, nc), rng.integers(0, W, nc)], 1)
        pts = [(int(y), int(x), float(rng.uniform(*p["speck_radius"])))
               for y, x in zip(cy, cx)]
        for (y0, x0) in centres:
            for _ in range(int(rng.integers(40, 120))):
                pts.append((int(y0 + rng.normal(0, 25)), int(x0 + rng.normal(0, 25)),
                            float(rng.uniform(0.5, 1.6))))
        speck = Image.new("L", (W, H), 0)
        d = ImageDraw.Draw(speck)
        for y, x, r in pts:
            d.ellipse((x - r, y - r, x + r, y + r), fill=255)
        a = np.maximum(a, np.asarray(speck, dtype=np.float32) / 255.0)
        info["specks"] = len(pts)
        bw = np.where(a > p["threshold"], 0, 255).astype(np.uint8)
        return Image.fromarray(bw, "L").convert("1"), info
    if kind == "lowres":
        angle = float(rng.uniform(-p["angle_max"], p["angle_max"]))
        info["angle"] = round(angle, 3)
        a = rotate_ink(ink, angle)
        if p["thin"]:  # thin, light print: strokes partly eroded (mix of ink and eroded ink)
            er = np.asarray(ink_image(a).filter(ImageFilter.MinFilter(3)),
                            dtype=np.float32) / 255.0
            a = (1.0 - p["thin"]) * a + p["thin"] * er
        g = p["paper"] - a * (p["paper"] - p["ink_level"])
        g += rng.normal(0, p["paper_noise"], g.shape).astype(np.float32)
        w, h = px(A4_MM[0], p["dpi"]), px(A4_MM[1], p["dpi"])
        im = blur(to_L(g).resize((w, h), Image.LANCZOS), p["blur"])
        return im, info
    raise ValueError(kind)


def save_image(im, path, cond):
    p = IMAGE_CONDITIONS[cond]["degrade"]
    if p["format"] == "jpg":
        im.save(path, "JPEG", quality=p["jpeg_quality"], dpi=(p["dpi"], p["dpi"]))
    else:
        im.save(path, "PNG", dpi=(p["dpi"], p["dpi"]))


# ----------------------------------------------------------------------------------------------
# scoring (score.py's own functions when it is there)

def load_scorer(dev):
    sp = os.path.join(os.path.dirname(os.path.normpath(dev)), "score.py")
    if os.path.exists(sp):
        import importlib.util
        spec = importlib.util.spec_from_file_location("ocr_score", sp)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.normalize, mod.tokens, mod.lev, sp
    import unicodedata

    def normalize(t):
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", t)).strip()

    def tokens(t):
        return t.split(" ") if t else []

    def lev(a, b):
        prev = list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            cur = [i]
            for j, y in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
            prev = cur
        return prev[-1]
    return normalize, tokens, lev, None


def score(ocr, truth, scorer):
    normalize, tokens, lev, _ = scorer
    o, t = normalize(ocr), normalize(truth)
    ce, we = lev(o, t), lev(tokens(o), tokens(t))
    return {"cer": round(ce / max(len(t), 1), 5), "wer": round(we / max(len(tokens(t)), 1), 5),
            "char_edits": ce, "word_edits": we, "truth_chars": len(t),
            "truth_words": len(tokens(t))}


def lost_words(ocr, truth, scorer, min_run=5):
    """Truth words in runs of >= min_run consecutive words that the OCR has nothing for (lines
    or blocks Tesseract dropped or moved), from a word-level difflib alignment."""
    import difflib
    normalize, tokens = scorer[0], scorer[1]
    o, t = tokens(normalize(ocr)), tokens(normalize(truth))
    lost = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, o, t, autojunk=False).get_opcodes():
        if tag in ("delete", "replace", "insert") and j2 - j1 >= min_run and (i2 - i1) * 4 < j2 - j1:
            lost += j2 - j1
    return lost


def hocr_conf(path):
    with open(path, encoding="utf-8") as f:
        c = [int(x) for x in re.findall(r"x_wconf (\d+)", f.read())]
    return {"words": len(c), "mean_x_wconf": round(sum(c) / len(c), 2) if c else None,
            "low_conf_words_lt60": sum(1 for x in c if x < 60)}


# ----------------------------------------------------------------------------------------------
# main pipeline

def tesseract_info():
    v = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    lines = (v.stdout + v.stderr).splitlines()
    td = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    m = re.search(r'"(.*?)"', td.stdout + td.stderr)
    tessdata = m.group(1) if m else None
    data = {}
    for lang in LANGS:
        p = os.path.join(tessdata or "", f"{lang}.traineddata")
        if os.path.exists(p):
            with open(p, "rb") as f:
                data[lang] = {"path": p, "sha256": hashlib.sha256(f.read()).hexdigest()}
    return {"version": lines[0].strip() if lines else None,
            "leptonica": lines[1].strip() if len(lines) > 1 else None,
            "traineddata": data}


def file_sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run_doc(name, args, scorer, conds, langs):
    truth_path = os.path.join(args.dev, name + ".truth.txt")
    with open(truth_path, encoding="utf-8") as f:
        truth = f.read()
    setdir = os.path.join(args.out, "set")
    metadir = os.path.join(args.out, "meta")
    os.makedirs(setdir, exist_ok=True)
    os.makedirs(metadir, exist_ok=True)
    shutil.copyfile(truth_path, os.path.join(setdir, name + ".truth.txt"))
    meta_path = os.path.join(metadir, name + ".json")
    meta = {}
    if os.path.exists(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
    meta.update({"name": name, "truth_file": name + ".truth.txt"})
    meta.setdefault("image_conditions", {})
    meta.setdefault("conditions", {})
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    laid = {}
    for icond in conds:
        ic = IMAGE_CONDITIONS[icond]
        ext = ic["degrade"]["format"]
        dirs = {lang: os.path.join(args.out, "layout", f"{icond}-{lang}") for lang in langs}
        for d in dirs.values():
            os.makedirs(d, exist_ok=True)
        first = dirs[langs[0]]
        done_imgs = meta["image_conditions"].get(icond, {}).get("images")
        need_render = args.force or not done_imgs or not all(
            os.path.exists(os.path.join(d, im)) for d in dirs.values() for im in done_imgs)
        if need_render:
            t0 = time.time()
            lname = ic["layout"]
            layout = LAYOUTS[lname]
            if lname not in laid:
                laid[lname] = layout_document(truth, layout)
            pages, font, geo = laid[lname]
            for d in dirs.values():  # stale pages of an earlier run
                for old in glob.glob(os.path.join(d, f"{name}.p*.{ext}")):
                    os.remove(old)
            images, page_info = [], []
            for pi, page in enumerate(pages, 1):
                if layout["align"] == "ragged":
                    # the strike variation belongs to the typed page, shared by its copies
                    ink = render_typewriter(page, font, layout,
                                            rng_for(args.seed, name, lname, pi))
                else:
                    ink = render_serif(page, font, layout)
                prng_seed = derive_seed(args.seed, name, icond, pi)
                im, info = degrade(ink, icond, np.random.Generator(np.random.PCG64(prng_seed)))
                fn = f"{name}.p{pi}.{ext}"
                save_image(im, os.path.join(first, fn), icond)
                for d in dirs.values():
                    if d != first:
                        dst = os.path.join(d, fn)
                        if os.path.exists(dst):
                            os.remove(dst)
                        try:
                            os.link(os.path.join(first, fn), dst)
                        except OSError:
                            shutil.copyfile(os.path.join(first, fn), dst)
                images.append(fn)
                page_info.append(dict(page=pi, seed=prng_seed, **info))
            hyph = sum(1 for pg in pages for ln in pg if ln and ln[-1][1].endswith("-"))
            meta["image_conditions"][icond] = {
                "layout": lname, "geometry": geo, "pages": len(pages), "images": images,
                "line_end_hyphens": hyph, "pages_info": page_info,
                "image_sha256": [file_sha(os.path.join(first, fn)) for fn in images],
                "render_seconds": round(time.time() - t0, 2)}
            for lang in langs:  # the OCR of these pages is stale now
                meta["conditions"].pop(f"{icond}-{lang}", None)
        images = meta["image_conditions"][icond]["images"]
        for lang in langs:
            cond = f"{icond}-{lang}"
            d = dirs[lang]
            ocr_out = os.path.join(setdir, f"{name}.{cond}.ocr.txt")
            if (not args.force and cond in meta["conditions"] and os.path.exists(ocr_out)
                    and os.path.exists(os.path.join(d, name + ".hocr"))
                    and os.path.exists(os.path.join(d, name + ".xml"))):
                continue
            with open(os.path.join(d, name + ".list"), "w", encoding="utf-8") as f:
                f.write("".join(im + "\n" for im in images))
            t0 = time.time()
            r = subprocess.run(["tesseract", name + ".list", name, "-l", lang,
                                "txt", "hocr", "alto"], cwd=d, env=env,
                               capture_output=True, text=True)
            secs = time.time() - t0
            if r.returncode != 0:
                raise RuntimeError(f"tesseract failed on {d}/{name}: {r.stderr}")
            shutil.move(os.path.join(d, name + ".txt"), ocr_out)
            with open(ocr_out, encoding="utf-8") as f:
                ocr = f.read()
            res = score(ocr, truth, scorer)
            res.update(hocr_conf(os.path.join(d, name + ".hocr")))
            res.update({"ocr_file": f"{name}.{cond}.ocr.txt", "ocr_seconds": round(secs, 2),
                        "hocr": f"layout/{cond}/{name}.hocr", "alto": f"layout/{cond}/{name}.xml",
                        "ocr_sha256": file_sha(ocr_out)})
            meta["conditions"][cond] = res
            print(f"  {name} {cond:22s} pages {len(images):2d}  CER {res['cer']:.2%}  "
                  f"WER {res['wer']:.2%}  {secs:5.1f}s", flush=True)
            with open(meta_path, "w", encoding="utf-8") as f:
                json.dump(meta, f, ensure_ascii=False, indent=1)
    with open(meta_path, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    return meta


def write_manifest(args, scorer, run_seconds):
    docs = []
    for p in sorted(glob.glob(os.path.join(args.out, "meta", "un-*.json"))):
        with open(p, encoding="utf-8") as f:
            docs.append(json.load(f))
    totals = {}
    for d in docs:
        for cond, r in d["conditions"].items():
            p = os.path.join(args.out, "set", r["ocr_file"])
            with open(p, encoding="utf-8") as f, \
                    open(os.path.join(args.out, "set", d["truth_file"]), encoding="utf-8") as g:
                r["lost_words"] = lost_words(f.read(), g.read(), scorer)
            t = totals.setdefault(cond, {"documents": 0, "pages": 0, "truth_chars": 0,
                                         "truth_words": 0, "char_edits": 0, "word_edits": 0,
                                         "lost_words": 0, "ocr_seconds": 0.0,
                                         "render_seconds": 0.0,
                                         "_conf": 0.0, "_words": 0})
            ic = d["image_conditions"][cond.rsplit("-", 1)[0]]
            t["documents"] += 1
            t["pages"] += ic["pages"]
            for k in ("truth_chars", "truth_words", "char_edits", "word_edits", "lost_words",
                      "ocr_seconds"):
                t[k] += r[k]
            t["render_seconds"] += ic["render_seconds"]
            if r.get("mean_x_wconf") is not None:
                t["_conf"] += r["mean_x_wconf"] * r["words"]
                t["_words"] += r["words"]
    for t in totals.values():
        t["cer"] = round(t["char_edits"] / max(t["truth_chars"], 1), 5)
        t["wer"] = round(t["word_edits"] / max(t["truth_words"], 1), 5)
        t["mean_x_wconf"] = round(t.pop("_conf") / max(t.pop("_words"), 1), 2)
        t["ocr_seconds"] = round(t["ocr_seconds"], 1)
        t["render_seconds"] = round(t["render_seconds"], 1)  # shared by -spa and -eng
    prev = {}
    mp = os.path.join(args.out, "manifest.json")
    if os.path.exists(mp):
        with open(mp, encoding="utf-8") as f:
            prev = json.load(f)
    runs = prev.get("runs", [])
    if run_seconds is not None:
        runs.append({"date": time.strftime("%Y-%m-%d %H:%M:%S"), "seconds": round(run_seconds, 1),
                     "argv": sys.argv[1:]})
    conds = {f"{ic}-{lang}": {"image_condition": ic, "lang": lang,
                              "description": IMAGE_CONDITIONS[ic]["description"]}
             for ic in IMAGE_CONDITIONS for lang in LANGS}
    manifest = {
        "set": "matrix",
        "description": "Dev truths re-rendered and OCR'd under a seeded matrix of typewriter / "
                       "photocopy / low-resolution conditions, Spanish and English models",
        "generator": "scripts/matrix/make_matrix.py",
        "metrics": "raw OCR vs truth after NFC and collapsing whitespace runs to one space "
                   "(score.py's normalize/lev); CER = char Levenshtein / truth chars; WER = token "
                   "Levenshtein / truth tokens; totals micro-averaged over documents; lost_words "
                   "= truth words in runs of >= 5 words the OCR has (almost) nothing for, i.e. "
                   "lines/blocks Tesseract's layout analysis dropped (or moved); mean_x_wconf = "
                   "mean hOCR word confidence",
        "scorer": scorer[3],
        "global_seed": args.seed,
        "seed_derivation": "sha256('|'.join([global_seed, doc, what, page]))[:8] big-endian -> "
                           "numpy PCG64; what = layout name for typewriter strike variation, "
                           "image condition for the degradation",
        "page": {"size_mm": A4_MM, "render_dpi": RENDER_DPI, "margin_cm": MARGIN_CM,
                 "size_px": [PAGE_W, PAGE_H], "margin_px": MARGIN},
        "fonts": {k: {"path": v, "sha256": file_sha(v) if os.path.exists(v) else None}
                  for k, v in FONTS.items()},
        "layouts": LAYOUTS,
        "hyphenation": dict(HYPHENATION, library=f"pyphen {pyphen.__version__}"),
        "image_conditions": IMAGE_CONDITIONS,
        "conditions": conds,
        "ocr": {"command": "tesseract un-NNN.list un-NNN -l LANG txt hocr alto (cwd = "
                           "layout/<cond>/, list of relative page image names)",
                "env": {"OMP_THREAD_LIMIT": "1"}, "tesseract": tesseract_info()},
        "software": {"python": sys.version.split()[0], "Pillow": PIL.__version__,
                     "numpy": np.__version__, "pyphen": pyphen.__version__},
        "documents_count": len(docs),
        "totals": totals,
        "runs": runs,
        "documents": docs,
    }
    with open(mp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", default=DEFAULT_DEV)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--docs", help="comma-separated names (un-005,...); default all")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--conditions", help="comma-separated image conditions; default all")
    ap.add_argument("--langs", default=",".join(LANGS))
    ap.add_argument("--seed", type=int, default=GLOBAL_SEED)
    ap.add_argument("--force", action="store_true", help="redo even what exists")
    ap.add_argument("--manifest-only", action="store_true")
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)
    scorer = load_scorer(args.dev)
    names = sorted(os.path.basename(p)[:-len(".truth.txt")]
                   for p in glob.glob(os.path.join(args.dev, "*.truth.txt")))
    if args.docs:
        want = args.docs.split(",")
        names = [n for n in names if n in want]
    if args.limit:
        names = names[:args.limit]
    conds = args.conditions.split(",") if args.conditions else list(IMAGE_CONDITIONS)
    for c in conds:
        if c not in IMAGE_CONDITIONS:
            sys.exit(f"unknown condition {c}; known: {', '.join(IMAGE_CONDITIONS)}")
    langs = args.langs.split(",")
    t0 = time.time()
    if not args.manifest_only:
        for name in names:
            run_doc(name, args, scorer, conds, langs)
    m = write_manifest(args, scorer, None if args.manifest_only else time.time() - t0)
    print(f"{m['documents_count']} documents in {args.out}; {time.time() - t0:.0f}s")
    for cond, t in sorted(m["totals"].items()):
        print(f"  {cond:22s} docs {t['documents']:2d} pages {t['pages']:3d}  "
              f"CER {t['cer']:.2%}  WER {t['wer']:.2%}  lost words {t['lost_words']}  "
              f"conf {t['mean_x_wconf']}")


if __name__ == "__main__":
    main()
