// SPDX-License-Identifier: GPL-2.0
/*
 * Logging and the bounded string builder.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"

static int log_level;

void hv_log_level(int level)
{
	log_level = level;
}

bool hv_log_on(void)
{
	return log_level >= 0;
}

static void hv_vlog(int level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level > log_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	/* One write per line so that threads do not interleave mid-line. */
	fprintf(stderr, "hvhost: %s\n", line);
}

void hv_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(0, fmt, ap);
	va_end(ap);
}

void hv_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(0, fmt, ap);
	va_end(ap);
}

void hv_dbg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(1, fmt, ap);
	va_end(ap);
}

void sb_init(struct strbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	sb->truncated = false;
	if (size)
		buf[0] = '\0';
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	size_t room;

	if (!sb->size)
		return;
	room = sb->size - 1 - sb->len;
	if (n > room) {
		n = room;
		sb->truncated = true;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp)) {
		sb_putn(sb, tmp, sizeof(tmp) - 1);
		sb->truncated = true;
		return;
	}
	sb_putn(sb, tmp, n);
}
