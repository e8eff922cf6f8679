# skl - the Beibei lifelong skills ledger.
# Plain GNU make. `make` builds libskl and build/skl; `make check` runs every test.

VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
PKGDIR  ?= $(LIBDIR)/pkgconfig

CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build
SHARED_DIR ?= ../shared

WARN = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN += -Werror
endif

# Deferred (=) so that pkg-config runs after `make deps` has installed what is missing.
PKGS       = libsodium openssl sqlite3
DEP_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsodium -lssl -lcrypto -lsqlite3)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)

ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -fPIC -Iinclude -Isrc $(DEP_CFLAGS) $(SAN) $(CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
LIBS = $(DEP_LIBS) -lpthread -lm

LIB_SRCS  = $(wildcard src/*.c)
DATA_FILES = $(sort $(wildcard spec/data/*.json)) spec/credit-rules/framework.json
LIB_OBJS  = $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/embedded_data.o
TOOL_SRCS = $(wildcard tools/*.c)
TOOL_OBJS = $(TOOL_SRCS:tools/%.c=$(BUILD)/obj/tools/%.o)
TEST_SRCS = $(wildcard tests/check_*.c)
TEST_OBJS = $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o) $(BUILD)/obj/tests/testutil.o
BENCH_SRCS = $(wildcard tests/bench/*.c)
HEADERS   = $(wildcard include/skl/*.h) $(wildcard src/*.h)

STATIC = $(BUILD)/libskl.a
SHLIB  = $(BUILD)/libskl.so.0
TOOL   = $(BUILD)/skl
TESTS  = $(BUILD)/check_skl
DEPS_STAMP = $(BUILD)/.deps-ok

.PHONY: all deps check unit e2e debug check-debug bench demo install uninstall clean fuzz format

all: $(STATIC) $(SHLIB) $(TOOL)

# Installs missing Debian packages when run as root; otherwise prints the apt line.
$(DEPS_STAMP):
	@sh tools/deps.sh
	@mkdir -p $(BUILD) && touch $@
deps:
	@sh tools/deps.sh

$(BUILD)/obj/%.o: src/%.c $(HEADERS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
# The reference data (spec/data) is compiled into the library: see tools/embed.sh.
$(BUILD)/gen/embedded_data.c: $(DATA_FILES) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $(DATA_FILES) > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/embedded_data.o: $(BUILD)/gen/embedded_data.c src/embed_int.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/obj/tools/%.o: tools/%.c $(HEADERS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/obj/tests/%.o: tests/%.c $(HEADERS) $(BUILD)/suites.inc | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -I$(BUILD) -c $< -o $@

$(STATIC): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
# The shared library exports only the functions the public headers declare.
$(BUILD)/libskl.map: $(wildcard include/skl/*.h)
	@mkdir -p $(BUILD)
	@{ echo 'SKL_0 { global:'; sed -n '/^ *\(\*\|\/\*\)/!s/.*\b\(skl_[a-z0-9_]*\)(.*/  \1;/p' include/skl/*.h | sort -u; \
	   echo 'local: *; };'; } > $@
$(SHLIB): $(LIB_OBJS) $(BUILD)/libskl.map
	$(CC) -shared -Wl,-soname,libskl.so.0 -Wl,--version-script=$(BUILD)/libskl.map $(ALL_LDFLAGS) \
	  -o $@ $(LIB_OBJS) $(LIBS)
	ln -sf libskl.so.0 $(BUILD)/libskl.so
$(TOOL): $(TOOL_OBJS) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TOOL_OBJS) $(STATIC) $(LIBS)

# The test runner finds its suites from the file names: tests/check_X.c exports X_suite().
$(BUILD)/suites.inc: $(TEST_SRCS)
	@mkdir -p $(BUILD)
	@for f in $(filter-out tests/check_main.c,$(TEST_SRCS)); do \
	  n=$${f#tests/check_}; echo "SKL_SUITE($${n%.c})"; done > $@.tmp && mv $@.tmp $@
$(TESTS): $(TEST_OBJS) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJS) $(STATIC) $(CHECK_LIBS) $(LIBS)

check: unit e2e
unit: $(TESTS)
	SKL_VECTORS=$(SHARED_DIR)/vectors $(TESTS)
e2e: $(TOOL)
	@sh tests/e2e/run.sh $(TOOL)

debug:
	$(MAKE) BUILD=build/debug SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" CFLAGS="-O1 -g" all $(BUILD)/debug/check_skl
check-debug:
	$(MAKE) BUILD=build/debug SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" CFLAGS="-O1 -g" check

bench: $(STATIC)
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -O2 -o $(BUILD)/skl_bench $(BENCH_SRCS) $(STATIC) $(LIBS)
	$(BUILD)/skl_bench

# libFuzzer targets: tests/fuzz/fuzz_X.c with seeds in tests/fuzz/corpus/X/ (new finds go to
# build/fuzz/corpus/X/). Each runs FUZZ_TIME seconds.
FUZZ_TIME ?= 60
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
fuzz: $(BUILD)/gen/embedded_data.c | $(DEPS_STAMP)
	@mkdir -p build/fuzz
	@set -e; for f in $(FUZZ_SRCS); do \
	  n=$${f#tests/fuzz/fuzz_}; n=$${n%.c}; \
	  echo "== fuzz $$n ($(FUZZ_TIME)s)"; \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc \
	    $(DEP_CFLAGS) $$f $(LIB_SRCS) $(BUILD)/gen/embedded_data.c -o build/fuzz/$$n $(LIBS); \
	  mkdir -p build/fuzz/corpus/$$n tests/fuzz/corpus/$$n; \
	  build/fuzz/$$n -max_total_time=$(FUZZ_TIME) -max_len=70000 -artifact_prefix=build/fuzz/$$n- \
	    build/fuzz/corpus/$$n tests/fuzz/corpus/$$n; \
	done

demo: $(TOOL)
	@sh tools/demo.sh $(TOOL)

$(BUILD)/skl.pc: Makefile
	@mkdir -p $(BUILD)
	@printf 'prefix=%s\nlibdir=%s\nincludedir=%s\n\nName: skl\nDescription: Beibei lifelong skills ledger\nVersion: %s\nRequires.private: libsodium openssl sqlite3\nLibs: -L$${libdir} -lskl\nCflags: -I$${includedir}\n' \
	  '$(PREFIX)' '$(LIBDIR)' '$(INCDIR)' '$(VERSION)' > $@

install: all $(BUILD)/skl.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/skl $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGDIR)
	install -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/skl
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libskl.a
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/libskl.so.0
	ln -sf libskl.so.0 $(DESTDIR)$(LIBDIR)/libskl.so
	install -m 644 include/skl/*.h $(DESTDIR)$(INCDIR)/skl/
	install -m 644 tools/skl.1 $(DESTDIR)$(MANDIR)/man1/skl.1
	install -m 644 $(BUILD)/skl.pc $(DESTDIR)$(PKGDIR)/skl.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/skl $(DESTDIR)$(LIBDIR)/libskl.a $(DESTDIR)$(LIBDIR)/libskl.so.0 \
	  $(DESTDIR)$(LIBDIR)/libskl.so $(DESTDIR)$(MANDIR)/man1/skl.1 $(DESTDIR)$(PKGDIR)/skl.pc
	rm -rf $(DESTDIR)$(INCDIR)/skl

format:
	clang-format -i src/*.c src/*.h include/skl/*.h tools/*.c tests/*.c

clean:
	rm -rf build demo/out
