#!/bin/sh
# Installs what scripts/matrix/make_matrix.py needs (Debian 12, as root).
set -e
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng \
    fonts-urw-base35 fonts-liberation fonts-freefont-ttf fonts-dejavu imagemagick
pip install -q Pillow numpy pyphen rapidfuzz
tesseract --version | head -1
