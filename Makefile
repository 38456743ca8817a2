# dyad -- build, test, benchmark, install.  `make help` lists the targets.

VERSION := $(shell sed -n 's/^\#define DYAD_VERSION "\(.*\)"/\1/p' include/dyad.h)
BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
LIB_PKGS := libutf8proc libxml-2.0 libcjson
PKGS    := $(LIB_PKGS) sqlite3

OPT      ?= -O2 -g
SAN      ?=
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
            -Wno-unused-parameter -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
DEP_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL := $(WARN) $(OPT) $(SANFLAGS) -fPIC -fvisibility=hidden -Iinclude -Isrc $(DEP_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)
LIBS := $(DEP_LIBS) -lpthread -lm

LIB_SRC  := $(wildcard src/*.c)
CLI_SRC  := $(wildcard cli/*.c)
DATA     := $(sort $(wildcard data/actors/*.txt data/verbs/*.txt data/clean/*.txt data/cameo/*.txt))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/builtin_data.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
DYAD     := $(BUILD)/dyad
UNIT     := $(BUILD)/unit-tests
REPLAY   := $(BUILD)/fuzz-replay

.PHONY: all demo check test deps bench fuzz install clean help regen check-generated
all: $(DYAD) $(BUILD)/libdyad.a $(BUILD)/libdyad.so $(BUILD)/dyad.pc

help:
	@echo "make            build libdyad and the dyad program into $(BUILD)/"
	@echo "make demo       install build dependencies, build, code the bundled sample"
	@echo "make check      install dependencies, build with ASan+UBSan, run every test"
	@echo "make bench      throughput and memory figures"
	@echo "make fuzz       run the libFuzzer targets (clang) for a while"
	@echo "make install    install into PREFIX=$(PREFIX)"

deps:
	@sh scripts/install-deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	$(DYAD) code samples/demo-article.txt

check: deps
	@$(MAKE) --no-print-directory BUILD=build/check SAN=1 OPT="-O1 -g" test

test: $(DYAD) $(UNIT) $(REPLAY)
	@DYAD=$(DYAD) UNIT=$(UNIT) REPLAY=$(REPLAY) BUILD=$(BUILD) sh tests/run-all.sh

HEADERS  := $(wildcard include/*.h src/*.h src/*.inc cli/*.h)

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -std=c11 -Wall -Werror $< -o $@

$(BUILD)/builtin_data.c: $(BUILD)/tools/embed $(DATA)
	$(BUILD)/tools/embed $@ $(DATA)

$(BUILD)/builtin_data.o: $(BUILD)/builtin_data.c
	$(CC) $(filter-out -Werror,$(CFLAGS_ALL)) -c $< -o $@

$(BUILD)/libdyad.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libdyad.so: $(LIB_OBJ)
	$(CC) -shared $(LDFLAGS_ALL) -Wl,-soname,libdyad.so.0 -o $@ $^ $(shell pkg-config --libs $(LIB_PKGS) 2>/dev/null) -lm

$(DYAD): $(CLI_OBJ) $(BUILD)/libdyad.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/libdyad.a $(LIBS)

$(UNIT): $(BUILD)/tests/unit/unit.o $(BUILD)/libdyad.a
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(BUILD)/libdyad.a $(LIBS)

$(REPLAY): $(BUILD)/fuzz/fuzz_read.o $(BUILD)/fuzz/fuzz_dict.o $(BUILD)/fuzz/replay.o $(BUILD)/libdyad.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(BUILD)/libdyad.a $(LIBS)

$(BUILD)/dyad.pc: Makefile include/dyad.h
	@mkdir -p $(BUILD)
	@printf 'prefix=%s\nlibdir=$${prefix}/lib\nincludedir=$${prefix}/include\n\nName: dyad\nDescription: political event data from raw English news\nVersion: %s\nRequires.private: %s\nLibs: -L$${libdir} -ldyad\nCflags: -I$${includedir}\n' \
		'$(PREFIX)' '$(VERSION)' '$(LIB_PKGS)' > $@

# libFuzzer builds (clang); `make check` replays the corpora instead. New
# inputs go to build/fuzz/corpus_*, the seeds in fuzz/corpus stay as they are.
fuzz:
	@DYAD_DEPS_EXTRA="clang libclang-rt-dev" sh scripts/install-deps.sh
	@$(MAKE) --no-print-directory all
	@mkdir -p build/fuzz
	@for t in read dict; do \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -DDYAD_LIBFUZZER $(WARN) -Iinclude -Isrc $(DEP_CFLAGS) \
	    fuzz/fuzz_$$t.c $(LIB_SRC) build/builtin_data.c -o build/fuzz/fuzz_$$t $(DEP_LIBS) -lm || exit 1; \
	  mkdir -p build/fuzz/corpus_$$t; \
	  build/fuzz/fuzz_$$t -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz/corpus_$$t fuzz/corpus/$$t || exit 1; done

bench: all
	@python3 bench/bench.py $(DYAD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(DYAD) $(DESTDIR)$(PREFIX)/bin/dyad
	install -m 644 $(BUILD)/libdyad.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libdyad.so $(DESTDIR)$(PREFIX)/lib/libdyad.so.0
	ln -sf libdyad.so.0 $(DESTDIR)$(PREFIX)/lib/libdyad.so
	install -m 644 include/dyad.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/dyad.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/

# The WordNet lemma table is generated and committed; this regenerates it.
regen:
	python3 tools/gen_wordnet.py /usr/share/wordnet > src/wordnet_verbs.inc

clean:
	rm -rf build
