# clustersim build. `make` builds ./clustersim; `make test` installs what is missing, builds and
# runs every test; `make demo`, `make bench`, `make validate`, `make sanitize`, `make format`;
# `make teach` serves the classroom page (docs/teaching.md).
# On a cluster (docs/hpc.md): make CC=... HDF5_CPPFLAGS=-I$HDF5_DIR/include
#   HDF5_LIBS="-L$HDF5_DIR/lib -lhdf5" LDFLAGS=-Wl,-rpath,$HDF5_DIR/lib, and WERROR= where a newer
#   compiler warns of what gcc 12 does not. CFLAGS, CPPFLAGS and LDLIBS given so add to the project's
#   own (CFLAGS after them, so its -O or -march wins).
ifeq ($(origin CC),default)
CC       := gcc
endif
OPT      ?= -O3
WERROR   ?= -Werror
# The project's own flags, which a CFLAGS given adds to rather than replaces: without -fopenmp the
# engine would not link, and without -ffp-contract=off its results would differ by machine.
ALL_CFLAGS = $(strip -std=c11 $(OPT) -g -fopenmp -Wall -Wextra $(WERROR) -ffp-contract=off $(CFLAGS))
HDF5_CPPFLAGS  ?= -I/usr/include/hdf5/serial
HDF5_LIBS      ?= -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5
LIBCONFIG_LIBS ?= -lconfig
override CPPFLAGS += -Isim -Iconfig $(HDF5_CPPFLAGS) -D_DEFAULT_SOURCE
override LDLIBS   += $(HDF5_LIBS) $(LIBCONFIG_LIBS) -lm
PYTHON   := /usr/bin/python3
BUILD    ?= build

LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c)) $(wildcard config/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# the commit, marked -dirty-<hash of the changes> when sim/, config/ or this file differ from it
GIT_HASH := $(shell sh scripts/git_hash.sh 2>/dev/null || echo unknown)

DEB_PKGS := gcc make pkg-config libhdf5-dev hdf5-tools libconfig-dev libpcg-cpp-dev g++ \
            python3 python3-h5py python3-numpy python3-matplotlib python3-pytest \
            python3-scipy python3-pandas python3-xarray python3-libconf \
            openmpi-bin libopenmpi-dev slurm-wlm munge \
            clang libclang-rt-14-dev valgrind \
            python3-aiohttp python3-pil tmux chromium nodejs

.PHONY: all deps test sanitize demo bench validate validate-full format clean fuzz fuzz-build \
        teach teach-test-deps FORCE
all: clustersim

clustersim: $(BUILD)/sim/main.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The MPI build (docs/hpc.md): `mpirun -np N clustersim-mpi sweep ...`. Only the sweep command and
# the task farm differ (-DCS_MPI, compiled with mpicc into build-mpi/); the rest is the plain
# build's objects, so the model code is the same. Not part of `make`; `make test` builds it.
MPICC     ?= mpicc
MPI_BUILD ?= build-mpi
MPI_SRC   := sim/cmd_sweep.c sim/sweep_mpi.c
MPI_OBJ   := $(MPI_SRC:%.c=$(MPI_BUILD)/%.o) $(filter-out $(MPI_SRC:%.c=$(BUILD)/%.o),$(LIB_OBJ)) \
             $(BUILD)/sim/main.o
clustersim-mpi: $(MPI_OBJ)
	$(MPICC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(MPI_BUILD)/%.o: %.c $(wildcard sim/*.h config/*.h) $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(MPICC) $(CPPFLAGS) -DCS_MPI -DCS_CFLAGS='"$(ALL_CFLAGS)"' $(ALL_CFLAGS) -c -o $@ $<

# the sanitized binary lives in its build folder, never over ./clustersim
build-san/clustersim: build-san/sim/main.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard sim/*.h config/*.h) $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DCS_CFLAGS='"$(ALL_CFLAGS)"' $(ALL_CFLAGS) -c -o $@ $<

# The build's name (GIT_HASH), rewritten only when HEAD or the uncommitted changes move:
# version.o, the one object that holds it, is rebuilt then (every other object would otherwise
# keep the hash of the commit it was last compiled at).
$(BUILD)/.git_hash: FORCE
	@mkdir -p $(@D)
	@echo '$(GIT_HASH)' | cmp -s - $@ || echo '$(GIT_HASH)' > $@
$(BUILD)/sim/version.o: $(BUILD)/.git_hash
$(BUILD)/sim/version.o: override CPPFLAGS += -DCS_GIT_HASH='"$(GIT_HASH)"'

# The flags the objects were built with: rewritten only when they change (another OPT or
# CFLAGS), which then rebuilds every object, so a build never mixes optimisation levels.
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CPPFLAGS) $(ALL_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(CPPFLAGS) $(ALL_CFLAGS)' > $@
FORCE:

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) tests/check.h $(wildcard tests/fuzz/*.[ch]) $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

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
# options: make teach TEACH_ARGS="--port 8000 --max-runs 4"; for students on their own laptops,
# TEACH_ARGS="--host 0.0.0.0" (every address: it warns and prints the address to type).
teach: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) teach/server.py $(TEACH_ARGS)

# the builds of make test on every core: compiled one file at a time they took 80 s of CI's ten
# minutes on two cores (36 s the engine and tests, 44 s the sanitized binary)
NPROC := $(shell nproc 2>/dev/null || echo 2)

test: deps teach-test-deps
	@$(MAKE) --no-print-directory -j$(NPROC) clustersim clustersim-mpi $(TEST_BIN) \
	  $(BUILD)/tests/pcg_reference
	@# the sanitized binary for the short ASan run of tests/test_memcheck.py
	@$(MAKE) --no-print-directory -j$(NPROC) BUILD=build-san OPT="$(SAN_OPT)" build-san/clustersim
	@$(PYTHON) tests/run_tests.py --build $(BUILD)

# baseline vs tech_city, 20 seeds at the default scale (0.002), compared, with a plain-English
# reading (demo-out/); options: make demo DEMO_ARGS="--seeds 20 --scale 0.002 --jobs 4".
demo: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) -m analysis.demo $(DEMO_ARGS)

# Stylised facts 1-9 of MODEL.md section 9 on ensembles of seeds at scales 0.002, 0.01 and 0.05
# (docs/validation.md); options: make validate VALIDATE_ARGS="--scales 0.002:20 --jobs 4".
validate: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) -m analysis.validate $(VALIDATE_ARGS)

# The whole UK at 1:1, one seed: the facts one seed can measure (not in make test; long).
validate-full: deps
	@$(MAKE) --no-print-directory clustersim
	@$(PYTHON) -m analysis.validate --full --jobs 1 $(VALIDATE_ARGS)

# Time per step by phase, agent-updates/s, peak memory and the 1-thread speedup at scale 0.1
# (docs/performance.md); options: ./clustersim bench --help.
bench: deps
	@$(MAKE) --no-print-directory clustersim
	./clustersim bench --speedup --repeat 3

SAN_OPT := -O1 -DCS_DEBUG -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san OPT="$(SAN_OPT)" \
	  build-san/clustersim build-san/tests/pcg_reference $(TEST_SRC:tests/%.c=build-san/tests/%)
	@ASAN_OPTIONS=detect_leaks=0 $(PYTHON) tests/run_tests.py --build build-san --c-only
	@# whole runs with the per-step invariant checks of the debug build (-DCS_DEBUG)
	@tmp=$$(mktemp -d) && ASAN_OPTIONS=detect_leaks=0 build-san/clustersim run scenarios/baseline.cfg \
	  --steps 12 --set scale=0.0005 --quiet -o $$tmp/b.h5 && ASAN_OPTIONS=detect_leaks=0 \
	  build-san/clustersim run tests/data/determinism/all_policies.cfg --steps 12 --quiet \
	  -o $$tmp/p.h5 && ASAN_OPTIONS=detect_leaks=0 build-san/clustersim run \
	  tests/data/determinism/all_policies.cfg --steps 12 --quiet --checkpoint-every 3 --stop-after 7 \
	  -o $$tmp/c.h5 2>/dev/null; test $$? -eq 1 && ASAN_OPTIONS=detect_leaks=0 build-san/clustersim \
	  resume $$tmp/c.ckpt.h5 --quiet && rm -rf $$tmp && \
	  echo "sanitize: invariant-checked runs ok (with checkpoint and resume)"

# libFuzzer over the config loader (tests/fuzz/, docs/reliability.md): seeds are every shipped
# scenario and test config, the corpus grows in tests/fuzz/corpus/; a crash, hang or sanitizer
# report stops it and leaves the input in build-fuzz/ (fix it, then add it to
# tests/fuzz/regressions/). Options: make fuzz FUZZ_SECONDS=600 FUZZ_TARGET=config.
FUZZ_SECONDS ?= 60
FUZZ_TARGET  ?= config
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c11 -g -O1 -Wall -Wextra -Werror -ffp-contract=off -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_SRC     := $(LIB_SRC)
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_SRC) $(wildcard config/*.h sim/*.h)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -Itests/fuzz -fopenmp -o $@ $< $(FUZZ_SRC) $(LDLIBS)

fuzz-build: build-fuzz/fuzz_$(FUZZ_TARGET)

fuzz: deps fuzz-build
	@mkdir -p tests/fuzz/corpus/$(FUZZ_TARGET) build-fuzz/seeds
	@cp scenarios/*.cfg tests/data/config/*.cfg tests/data/cli/*.cfg $(wildcard scenarios/sweeps/*.cfg) build-fuzz/seeds/ 2>/dev/null; \
	  cp tests/fuzz/regressions/* build-fuzz/seeds/ 2>/dev/null; true
	cd build-fuzz && CLUSTERSIM_SCENARIOS=../scenarios LSAN_OPTIONS=suppressions=../tests/fuzz/lsan.supp nice -n 15 ./fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
	  ../tests/fuzz/corpus/$(FUZZ_TARGET) seeds

# Shrinks the committed corpus to the inputs that add coverage (run before committing it).
fuzz-merge: fuzz-build
	@mkdir -p build-fuzz/merged && rm -rf build-fuzz/merged/*
	cd build-fuzz && LSAN_OPTIONS=suppressions=../tests/fuzz/lsan.supp ./fuzz_$(FUZZ_TARGET) -merge=1 merged ../tests/fuzz/corpus/$(FUZZ_TARGET) seeds
	rm -rf tests/fuzz/corpus/$(FUZZ_TARGET) && cp -r build-fuzz/merged tests/fuzz/corpus/$(FUZZ_TARGET)

format:
	clang-format -i sim/*.c sim/*.h config/*.c config/*.h tests/*.c tests/*.h scripts/*.c

clean:
	rm -rf build build-san build-fuzz $(MPI_BUILD) clustersim clustersim-mpi
