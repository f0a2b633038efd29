/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest physical memory as hvhost sees it: one flat mapping where
 * GPA == offset (guest RAM is kept at or below 2 GiB, below QEMU's PCI
 * hole).  Every access is bounds-checked here; nothing else computes a
 * host pointer from a GPA.
 *
 * The guest runs concurrently and may change any byte at any time:
 * callers copy what they parse (gm_read) and never read a field twice.
 */
#ifndef HVHOST_GUESTMEM_H
#define HVHOST_GUESTMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guestmem {
	uint8_t *base;
	uint64_t size;		/* bytes: GPAs 0 .. size - 1 are RAM */
};

/* True when [gpa, gpa + len) lies inside guest RAM (no overflow). */
static inline bool gm_range_ok(const struct guestmem *gm, uint64_t gpa, uint64_t len)
{
	return len <= gm->size && gpa <= gm->size - len;
}

/* Host pointer for [gpa, gpa + len), or NULL if it is not all RAM. */
void *gm_ptr(const struct guestmem *gm, uint64_t gpa, uint64_t len);

/* Copy out of / into guest RAM.  Return 0, or -EFAULT for a bad range. */
int gm_read(const struct guestmem *gm, uint64_t gpa, void *dst, size_t len);
int gm_write(const struct guestmem *gm, uint64_t gpa, const void *src, size_t len);
int gm_zero(const struct guestmem *gm, uint64_t gpa, size_t len);

#endif /* HVHOST_GUESTMEM_H */
