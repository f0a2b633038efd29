// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory bounds checks.
 */
#include <errno.h>
#include <stdlib.h>

#include "../guestmem.h"
#include "unit.h"

static void gm_bounds_end_of_ram(void)
{
	uint8_t buf[16];
	struct guestmem gm = { .base = buf, .size = sizeof(buf) };
	uint8_t x[4];

	CHECK(gm_range_ok(&gm, 0, 16));
	CHECK(gm_range_ok(&gm, 16, 0));
	CHECK(gm_range_ok(&gm, 15, 1));
	CHECK(!gm_range_ok(&gm, 16, 1));
	CHECK(!gm_range_ok(&gm, 13, 4));
	CHECK(!gm_range_ok(&gm, 0, 17));
	CHECK(gm_ptr(&gm, 12, 4) == buf + 12);
	CHECK(!gm_ptr(&gm, 13, 4));
	CHECK_EQ(gm_read(&gm, 12, x, 4), 0);
	CHECK_EQ(gm_read(&gm, 14, x, 4), (uint64_t)-EFAULT);
	CHECK_EQ(gm_write(&gm, 17, x, 0), (uint64_t)-EFAULT);
}

static void gm_bounds_overflow(void)
{
	uint8_t buf[16];
	struct guestmem gm = { .base = buf, .size = sizeof(buf) };

	/* gpa + len wraps around to a small number: must still be refused. */
	CHECK(!gm_range_ok(&gm, UINT64_MAX - 1, 4));
	CHECK(!gm_range_ok(&gm, UINT64_MAX, 1));
	CHECK(!gm_range_ok(&gm, 8, UINT64_MAX));
	CHECK(!gm_range_ok(&gm, UINT64_MAX - 7, 16));
	CHECK(!gm_ptr(&gm, UINT64_MAX - 1, 4));
}

static void gm_no_ram(void)
{
	struct guestmem gm = { .base = NULL, .size = 0 };

	CHECK(!gm_ptr(&gm, 0, 0));
	CHECK(!gm_ptr(&gm, 0, 1));
}

const struct unit_test guestmem_tests[] = {
	{ "guestmem_bounds_end_of_ram", gm_bounds_end_of_ram },
	{ "guestmem_bounds_overflow", gm_bounds_overflow },
	{ "guestmem_no_ram", gm_no_ram },
	{ NULL, NULL },
};
