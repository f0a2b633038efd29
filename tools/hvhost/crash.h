/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest crash registers (CRASH_P0..P4, CRASH_CTL) and the crash report.
 *
 * A CRASH_CTL write with CrashNotify set is a crash report; it is logged to
 * stderr and to --crash-report FILE in this format (tests parse it):
 *
 *   crash: vp=<n> p0=0x<hex> p1=0x<hex> p2=0x<hex> p3=0x<hex> p4=0x<hex> ctl=0x<hex>
 *   crash-message-begin          (these three parts only with CrashMessage)
 *   <text at GPA P3, P4 bytes (at most 4096), non-printable bytes as \xNN>
 *   crash-message-end
 *
 * and the VM ends with status 3.
 */
#ifndef HVHOST_CRASH_H
#define HVHOST_CRASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition.h"

/* Room for a formatted report: header line plus a fully escaped message. */
#define CRASH_REPORT_MAX	(256 + 4 * HV_CRASH_MESSAGE_MAX + 64)

/* Bits returned when CRASH_CTL is read: what hvhost supports. */
#define CRASH_CTL_SUPPORTED	(HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE | \
				 HV_CRASH_CTL_NO_DUMP)

struct crash_info {
	unsigned int vp;
	uint64_t p[HV_CRASH_PARAMS];
	uint64_t ctl;
	bool has_msg;		/* CrashMessage was set */
	bool msg_bad;		/* ... but P3/P4 do not address guest RAM */
	const uint8_t *msg;
	size_t msg_len;
};

bool crash_is_reg(uint32_t name);
int crash_reg_get(struct partition *p, uint32_t name, uint64_t *val);
int crash_reg_set(struct partition *p, unsigned int vp, uint32_t name, uint64_t val);

/* The report text for @ci, each line ending in '\n'. */
void crash_format(const struct crash_info *ci, struct strbuf *sb);

/* Copy the last report into @sb; false if there was none. */
bool crash_last(struct partition *p, struct strbuf *sb);

#endif /* HVHOST_CRASH_H */
