/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging to stderr and a bounded string builder used by every text
 * producer (control answers, crash reports, statistics).
 */
#ifndef HVHOST_LOG_H
#define HVHOST_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define HVHOST_VERSION		"0.1"
#define HVHOST_VERSION_MAJOR	0
#define HVHOST_VERSION_MINOR	1
#define HVHOST_VERSION_BUILD	1

/* 0 = errors and notices, 1 = -v (debug); -1 = quiet (unit tests). */
void hv_log_level(int level);
/* False when quiet (unit tests): for output that bypasses hv_err(). */
bool hv_log_on(void);

void hv_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * struct strbuf - text appended into a fixed buffer, always NUL-terminated.
 * Output that does not fit is cut and @truncated is set; @len never
 * exceeds @size - 1.
 */
struct strbuf {
	char *buf;
	size_t size;
	size_t len;
	bool truncated;
};

void sb_init(struct strbuf *sb, char *buf, size_t size);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_putn(struct strbuf *sb, const char *s, size_t n);

#endif /* HVHOST_LOG_H */
