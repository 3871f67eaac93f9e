# build-aux/deps.sh: installs what building, running and testing Rounds needs on Debian 12
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by build-aux/run, build-aux/test and build-aux/bench. Installs only what is
# missing, so a second run costs a dpkg query.

ROUNDS_BUILD_PACKAGES="meson ninja-build gcc pkg-config gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsqlite3-dev
  libcurl4-openssl-dev libjson-glib-dev libsecret-1-dev libcmark-dev sqlite3
  desktop-file-utils appstream"
ROUNDS_RUN_PACKAGES="fonts-noto-cjk gnome-keyring dbus dbus-x11"
ROUNDS_TEST_PACKAGES="xvfb xauth xdotool imagemagick python3 python3-jsonschema time
  poppler-utils"
# Only where the tests run against a real CouchDB (../shared/couchdb/start): the release
# bundles its Erlang runtime and needs these libraries of Debian 12.
ROUNDS_COUCHDB_PACKAGES="libicu72 libssl3 zlib1g libtinfo6 libstdc++6 curl"
# Only build-aux/fuzz: libFuzzer comes with clang's runtime libraries.
ROUNDS_FUZZ_PACKAGES="clang libclang-rt-14-dev"

rounds_install_packages () {
  local missing=""
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
      missing="$missing $package"
    fi
  done
  [ -z "$missing" ] && return 0

  echo "build-aux: installing:$missing" >&2
  local apt="apt-get"
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then
      apt="sudo apt-get"
    else
      echo "build-aux: please install, as root: apt-get install$missing" >&2
      return 1
    fi
  fi
  $apt update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $apt install -y -qq --no-install-recommends $missing >&2
}

# Node.js runs only the test curation store (pouchdb-server). A machine that has a node
# (Debian's or NodeSource's) keeps it; otherwise Debian's is installed.
rounds_install_node () {
  if command -v node >/dev/null && command -v npm >/dev/null; then
    return 0
  fi
  rounds_install_packages nodejs npm
}

# The Chinese interface is tested and shown in screenshots, so the zh_CN.UTF-8 locale must exist.
rounds_ensure_locales () {
  if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    return 0
  fi
  rounds_install_packages locales || return 1
  local sudo=""
  [ "$(id -u)" != 0 ] && sudo="sudo"
  echo "build-aux: generating the zh_CN.UTF-8 and en_GB.UTF-8 locales" >&2
  $sudo sed -i -E 's/^# *(zh_CN\.UTF-8 UTF-8|en_GB\.UTF-8 UTF-8)/\1/' /etc/locale.gen
  grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
  $sudo locale-gen >&2
}
