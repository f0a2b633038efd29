// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds-checked access to guest RAM.
 */
#include <errno.h>
#include <string.h>

#include "guestmem.h"

void *gm_ptr(const struct guestmem *gm, uint64_t gpa, uint64_t len)
{
	if (!gm->base || !gm_range_ok(gm, gpa, len))
		return NULL;
	return gm->base + gpa;
}

int gm_read(const struct guestmem *gm, uint64_t gpa, void *dst, size_t len)
{
	const void *src = gm_ptr(gm, gpa, len);

	if (!src)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int gm_write(const struct guestmem *gm, uint64_t gpa, const void *src, size_t len)
{
	void *dst = gm_ptr(gm, gpa, len);

	if (!dst)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int gm_zero(const struct guestmem *gm, uint64_t gpa, size_t len)
{
	void *dst = gm_ptr(gm, gpa, len);

	if (!dst)
		return -EFAULT;
	memset(dst, 0, len);
	return 0;
}
