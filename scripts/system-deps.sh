#!/usr/bin/env bash
# Checks the system libraries the portal needs outside Python: Pango (WeasyPrint), a Cyrillic
# serif font (Liberation Serif, metric-compatible with Times New Roman), an emoji font
# (Symbola) and gettext (compiling translations); with WITH_BROWSER=1 also what the tests
# need (below). As root it installs what is missing with apt-get; otherwise it prints the
# command.
set -euo pipefail

packages=()
# Lists are read whole first: `cmd | grep -q` under pipefail fails when grep stops early.
libraries=$(ldconfig -p 2>/dev/null || true)
fonts=$(fc-list 2>/dev/null || true)
if ! grep -q 'libpango-1.0.so.0' <<<"$libraries"; then
  packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
fi
if ! grep -qi 'Liberation Serif' <<<"$fonts"; then
  packages+=(fonts-liberation2 fontconfig)
fi
# Symbola: black-and-white emoji and symbols Liberation lacks (a missing glyph would be a
# .notdef box, which PDF/A forbids).
if ! grep -qi 'Symbola' <<<"$fonts"; then
  packages+=(fonts-symbola fontconfig)
fi
if ! command -v msgfmt >/dev/null 2>&1; then
  packages+=(gettext)
fi
# WITH_BROWSER=1 (`make test`): the real clients the tests read pages and files with, as users
# and outside validators do (tests/clients/): Chromium; LibreOffice Calc and Writer (headless
# conversion needs nothing their recommends add) with the Russian hyphenation patterns it
# lays Word files out with; poppler; Java for the Nu HTML checker, which `make test` installs
# from npm (package-lock.json), hence npm where it is missing.
if [ "${WITH_BROWSER:-0}" = "1" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    packages+=(chromium)
  fi
  if [ ! -e /usr/lib/libreoffice/program/libsclo.so ]; then
    packages+=(libreoffice-calc)
  fi
  if [ ! -e /usr/lib/libreoffice/program/libswlo.so ]; then
    packages+=(libreoffice-writer)
  fi
  if [ ! -e /usr/share/hyphen/hyph_ru_RU.dic ]; then
    packages+=(hyphen-ru)
  fi
  # Carlito has Calibri's metrics: Calc lays the workbooks' Calibri columns out (and picks
  # their print scale) as Excel does, as Debian's LibreOffice does with its recommends.
  if ! grep -qi 'Carlito' <<<"$fonts"; then
    packages+=(fonts-crosextra-carlito)
  fi
  if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1; then
    packages+=(poppler-utils)
  fi
  if ! command -v java >/dev/null 2>&1; then
    packages+=(default-jre-headless)
  fi
  if ! command -v npm >/dev/null 2>&1; then
    packages+=(npm)
  fi
fi

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
else
  echo "Missing system packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
