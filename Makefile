# clustersim build. `make` builds ./clustersim; `make test` installs what is missing, builds and
# runs every test; `make demo`, `make bench`, `make validate`, `make sanitize`, `make format`;
# `make teach` serves the classroom page (docs/teaching.md).
CC       ?= gcc
OPT      ?= -O2
CFLAGS   ?= -std=c11 $(OPT) -g -fopenmp -Wall -Wextra -Werror -ffp-contract=off
CPPFLAGS += -Isim -Iconfig -I/usr/include/hdf5/serial -D_DEFAULT_SOURCE
LDLIBS   += -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5 -lconfig -lm
PYTHON   := /usr/bin/python3
BUILD    ?= build

LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c)) $(wildcard config/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
GIT_HASH := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

DEB_PKGS := gcc make pkg-config libhdf5-dev hdf5-tools libconfig-dev libpcg-cpp-dev g++ \
            python3 python3-h5py python3-numpy python3-matplotlib python3-pytest \
            python3-aiohttp python3-pil tmux chromium nodejs

.PHONY: all deps test sanitize demo bench validate format clean teach teach-test-deps
all: clustersim

clustersim: $(BUILD)/sim/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# the sanitized binary lives in its build folder, never over ./clustersim
build-san/clustersim: build-san/sim/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard sim/*.h config/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DCS_GIT_HASH='"$(GIT_HASH)"' -DCS_CFLAGS='"$(CFLAGS)"' $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) tests/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

# PCG32 cross-check against the C++ reference library (libpcg-cpp-dev).
$(BUILD)/tests/pcg_reference: tests/pcg_reference.cpp
	@mkdir -p $(dir $@)
	g++ -O2 -std=c++11 -o $@ $<

# Installs missing Debian packages (as root, or with sudo when available).
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# puppeteer-core (drives Debian's chromium in tests/test_teach_browser.py; no browser download)
# into teach/node_modules, from teach/package-lock.json. Debian's nodejs ships npm separately.
teach-test-deps: deps
	@command -v npm >/dev/null || { SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	@[ -d teach/node_modules/puppeteer-core ] || \
	  (cd teach && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

# The classroom page on http://127.0.0.1:8765/ (Ctrl-C stops it and removes its runs);
# options: make teach TEACH_ARGS="--port 8000 --max-runs 4".
teach: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) teach/server.py $(TEACH_ARGS)

test: deps teach-test-deps
	@$(MAKE) --no-print-directory clustersim $(TEST_BIN) $(BUILD)/tests/pcg_reference
	@$(PYTHON) tests/run_tests.py --build $(BUILD)

# baseline vs tech_city, 3 seeds at scale 0.001, compared, with a plain-English reading
# (demo-out/); options: make demo DEMO_ARGS="--seeds 5 --scale 0.002 --jobs 4".
demo: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) -m analysis.demo $(DEMO_ARGS)

# Stylised facts 1-7 of MODEL.md section 9 on an ensemble of seeds (docs/validation.md);
# options: make validate VALIDATE_ARGS="--seeds 20 --jobs 4".
validate: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) -m analysis.validate $(VALIDATE_ARGS)

# Time per step by phase, agent-updates/s, peak memory and the 1-thread speedup at scale 0.1
# (docs/performance.md); options: ./clustersim bench --help.
bench: deps
	@$(MAKE) --no-print-directory clustersim
	./clustersim bench --speedup --repeat 3

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san OPT="-O1 -DCS_DEBUG -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  build-san/clustersim build-san/tests/pcg_reference $(TEST_SRC:tests/%.c=build-san/tests/%)
	@ASAN_OPTIONS=detect_leaks=0 $(PYTHON) tests/run_tests.py --build build-san --c-only
	@# whole runs with the per-step invariant checks of the debug build (-DCS_DEBUG)
	@tmp=$$(mktemp -d) && ASAN_OPTIONS=detect_leaks=0 build-san/clustersim run scenarios/baseline.cfg \
	  --steps 12 --set scale=0.0005 --quiet -o $$tmp/b.h5 && ASAN_OPTIONS=detect_leaks=0 \
	  build-san/clustersim run tests/data/determinism/all_policies.cfg --steps 12 --quiet \
	  -o $$tmp/p.h5 && rm -rf $$tmp && echo "sanitize: invariant-checked runs ok"

format:
	clang-format -i sim/*.c sim/*.h config/*.c config/*.h tests/*.c tests/*.h

clean:
	rm -rf build build-san clustersim
