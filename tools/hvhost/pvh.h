/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --vmlinux-pvh: boot the uncompressed vmlinux ELF through QEMU's PVH entry
 * instead of the bzImage (saves the guest's in-TCG decompression, ~4 s).
 */
#ifndef HVHOST_PVH_H
#define HVHOST_PVH_H

#include <stddef.h>

/*
 * Find or make the vmlinux of bzImage @kernel: extracted once with the
 * system's xz/gzip/zstd and cached as
 * ${XDG_CACHE_HOME:-~/.cache}/hvhost/vmlinux-<name>-<size>-<mtime>.
 * An ELF @kernel is used as it is.  Returns 0 and the path in @out, or -1.
 */
int pvh_vmlinux(const char *kernel, char *out, size_t size);

#endif /* HVHOST_PVH_H */
