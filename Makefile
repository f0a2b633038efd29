# SPDX-License-Identifier: GPL-2.0
#
# hvstack top-level Makefile.  The README's two commands:
#   make run     build everything, boot a guest on hvhost, show what it found
#   make check   static checks, hvhost unit tests, the guest kselftest suite
#
# KDIR defaults to the newest Debian -amd64 kernel that has both headers and
# a /boot/vmlinuz (scripts/kver.sh), never the build machine's `uname -r`.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KVER ?= $(shell $(TOP)/scripts/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
PROBED := $(BUILD)/compat/probed-$(KVER).h
KMAKE = $(MAKE) -C $(KDIR) M=$(TOP) HVSTACK_PROBED=$(PROBED)

export KVER KDIR

.PHONY: all deps modules test-modules hvhost tools probe style sparse symbols \
	dkms.conf unit initramfs check check-debug run bench qemu-hv clean help

all: modules hvhost tools

help:
	@echo "make run | check | bench | modules | test-modules | hvhost | style | sparse | unit | clean"

deps:
	@$(TOP)/scripts/deps.sh

# Building modules alone (DKMS, a user's VM) never installs packages; it
# only needs the kernel headers.  run and check install what they need.
$(PROBED): $(wildcard compat/probes/*.c) scripts/probe.sh
	@test -d "$(KDIR)" || { echo "no kernel build directory '$(KDIR)': install the headers (scripts/deps.sh) or pass KDIR=" >&2; exit 1; }
	@echo "  PROBE   $(KDIR)"
	@$(TOP)/scripts/probe.sh $(KDIR) $@

probe: $(PROBED)

# The production build, as DKMS and users run it: no test-only code
# (HVSTACK_TESTING forced off), and a warning never fails it (a newer
# compiler's new warnings must not break a user's build).  The exported
# symbol check still runs: a clash would stop the modules from loading.
modules: $(PROBED)
	@mkdir -p $(BUILD)
	+@set -o pipefail; $(KMAKE) HVSTACK_TESTING= modules 2>&1 | tee $(BUILD)/modules.log
	@$(MAKE) --no-print-directory symbols

# The test build (make run, make check, the test initramfs, sparse): the
# test-only hooks and the test modules (HVSTACK_TESTING=y, see Kbuild), W=1
# with zero warnings: any "warning:" in the log fails the build.
test-modules: $(PROBED)
	@mkdir -p $(BUILD)
	+@set -o pipefail; $(KMAKE) HVSTACK_TESTING=y W=1 modules 2>&1 | tee $(BUILD)/test-modules.log
	@if grep -E 'warning:|WARNING:' $(BUILD)/test-modules.log; then \
		echo "test-modules: the W=1 build has warnings (above)" >&2; exit 1; fi
	@$(MAKE) --no-print-directory symbols

# Our exports against the target kernel's, after a modules build.
symbols:
	@$(TOP)/scripts/check-symbols.sh $(KDIR)/Module.symvers $(TOP)/Module.symvers

# PACKAGE_VERSION from `git describe` (v1.2.3-4-gabcdef -> 1.2.3-4-gabcdef),
# as WireGuard's dkms.conf rule: for a DKMS source tree made from a git
# checkout.  Left alone when there is no release tag to describe.
dkms.conf:
	@ver=$$(git -C $(TOP) describe --tags --dirty 2>/dev/null | sed 's/^v//'); \
	if [ -n "$$ver" ]; then \
		sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$$ver\"/" $(TOP)/dkms.conf; \
		echo "dkms.conf: PACKAGE_VERSION=$$ver"; \
	else \
		echo "dkms.conf: no release tag to describe; PACKAGE_VERSION left as is"; \
	fi

hvhost:
	@$(MAKE) -C tools/hvhost

tools:
	@$(MAKE) -C selftests/tools

unit:
	@$(MAKE) -C tools/hvhost unit

style: deps
	@$(TOP)/scripts/style.sh

# On the test build, so the test-only code is checked too.
sparse: $(PROBED)
	+@HVSTACK_PROBED=$(PROBED) $(TOP)/scripts/sparse.sh

initramfs: test-modules hvhost tools
	@$(TOP)/selftests/mkinitramfs.sh

check: deps
	@$(TOP)/selftests/check.sh

# The guest suites on a debug kernel (KASAN, UBSAN, lockdep, kmemleak) built
# once from linux-source-6.1 into /var/cache/hvstack.  Slow; not in check.
check-debug: deps
	@$(TOP)/scripts/check-debug.sh

qemu-hv:
	@$(TOP)/scripts/qemu-hv.sh

run: deps
	@$(MAKE) --no-print-directory test-modules hvhost tools
	@$(TOP)/selftests/run-demo.sh

# Echo throughput and signalling on one channel (selftests/bench.sh):
# a table, non-zero exit when a run failed.  Not part of check.
bench: initramfs
	@$(TOP)/selftests/bench.sh

clean:
	-$(KMAKE) clean >/dev/null 2>&1
	$(MAKE) -C tools/hvhost clean
	$(MAKE) -C selftests/tools clean
	rm -rf $(BUILD)
