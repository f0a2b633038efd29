/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by every file.
 */
#ifndef HVHOST_UTIL_H
#define HVHOST_UTIL_H

#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Little-endian fields at any alignment (packets copied out of a ring). */
static inline uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t get_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/* An unsigned number (decimal or 0x hex), digits only, no larger than @max: 0 or -1. */
static inline int parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 0);
	if (*s < '0' || *s > '9' || *end || errno || n > max)
		return -1;
	*out = n;
	return 0;
}

#endif /* HVHOST_UTIL_H */
