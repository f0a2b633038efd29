// SPDX-License-Identifier: GPL-2.0
/*
 * Crash report formatting and the CRASH_CTL notify path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyperv/hvsim.h"
#include "../crash.h"
#include "../regs.h"
#include "unit.h"

static void crash_format_plain(void)
{
	struct crash_info ci = {
		.vp = 1, .p = { 0x1, 0x8100000601000000ULL, 0xffffffff81000000ULL, 0, 0 },
		.ctl = HV_CRASH_CTL_NOTIFY,
	};
	char buf[512];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	crash_format(&ci, &sb);
	CHECK(!strcmp(buf, "crash: vp=1 p0=0x1 p1=0x8100000601000000 p2=0xffffffff81000000 "
			   "p3=0x0 p4=0x0 ctl=0x8000000000000000\n"));
}

static void crash_format_message_escaped(void)
{
	static const uint8_t msg[] = "Kernel panic - not syncing: \x01test\\\n\tend\xff\0\0";
	struct crash_info ci = {
		.vp = 0, .p = { 0, 0, 0, 0x5000, sizeof(msg) - 1 },
		.ctl = HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE,
		.has_msg = true, .msg = msg, .msg_len = sizeof(msg) - 1,
	};
	char buf[1024];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	crash_format(&ci, &sb);
	CHECK(!strcmp(buf, "crash: vp=0 p0=0x0 p1=0x0 p2=0x0 p3=0x5000 p4=0x2a "
			   "ctl=0xc000000000000000\n"
			   "crash-message-begin\n"
			   "Kernel panic - not syncing: \\x01test\\\\\n\\x09end\\xff\n"
			   "crash-message-end\n"));
}

static void crash_format_bad_buffer(void)
{
	struct crash_info ci = {
		.vp = 3, .p = { 0, 0, 0, 0xfff000, 64 },
		.ctl = HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE,
		.has_msg = true, .msg_bad = true,
	};
	char buf[1024];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	crash_format(&ci, &sb);
	CHECK(strstr(buf, "crash-message-begin\n(message buffer gpa=0xfff000 len=64 is outside "
			  "guest RAM)\ncrash-message-end\n"));
}

static char *slurp(const char *path)
{
	static char buf[32768];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void crash_notify_via_registers(void)
{
	char path[] = "/tmp/hvhost-unit-crash-XXXXXX", *text, last[8192];
	const char *msg = "panic: oops at 0x1234\n";
	struct strbuf sb;
	struct tp t;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	tp_init(&t, 2);
	t.p.crash_path = path;
	sb_init(&sb, last, sizeof(last));
	CHECK(!crash_last(&t.p, &sb));
	memcpy(t.ram + 0x9000, msg, strlen(msg));
	reg_set(&t.p, 1, HV_REG_CRASH_P(0), 0xa, 0);
	reg_set(&t.p, 1, HV_REG_CRASH_P(3), 0x9000, 0);
	reg_set(&t.p, 1, HV_REG_CRASH_P(4), strlen(msg), 0);
	CHECK_EQ(t.crashes, 0);
	reg_set(&t.p, 1, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE, 0);
	CHECK_EQ(t.crashes, 1);
	text = slurp(path);
	CHECK(text);
	CHECK(!strcmp(text, "crash: vp=1 p0=0xa p1=0x0 p2=0x0 p3=0x9000 p4=0x16 "
			    "ctl=0xc000000000000000\n"
			    "crash-message-begin\npanic: oops at 0x1234\ncrash-message-end\n"));
	CHECK(crash_last(&t.p, &sb));
	CHECK(!strcmp(last, text));
	/* A second report is appended; the last one is what `crash` shows. */
	reg_set(&t.p, 0, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NOTIFY, 0);
	CHECK_EQ(t.crashes, 2);
	text = slurp(path);
	CHECK(strstr(text, "crash-message-end\ncrash: vp=0 p0=0xa "));
	CHECK_EQ(stat_get(&t.p.stats, STAT_CRASHES), 2);
	unlink(path);
	tp_destroy(&t);
}

static void crash_message_bounds(void)
{
	char last[CRASH_REPORT_MAX];
	struct strbuf sb;
	struct tp t;

	tp_init(&t, 1);
	/* Longer than 4096: only 4096 bytes are read. */
	memset(t.ram + 0x10000, 'A', 8192);
	reg_set(&t.p, 0, HV_REG_CRASH_P(3), 0x10000, 0);
	reg_set(&t.p, 0, HV_REG_CRASH_P(4), 100000, 0);
	reg_set(&t.p, 0, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE, 0);
	sb_init(&sb, last, sizeof(last));
	CHECK(crash_last(&t.p, &sb));
	CHECK(strstr(last, "\ncrash-message-begin\n"));
	CHECK_EQ(strlen(strstr(last, "begin\n") + 6), 4096 + 1 + strlen("crash-message-end\n"));
	/* Past the end of RAM (and wrapping around): refused, not read. */
	reg_set(&t.p, 0, HV_REG_CRASH_P(3), TP_RAM_SIZE - 10, 0);
	reg_set(&t.p, 0, HV_REG_CRASH_P(4), 11, 0);
	reg_set(&t.p, 0, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE, 0);
	sb_init(&sb, last, sizeof(last));
	CHECK(crash_last(&t.p, &sb));
	CHECK(strstr(last, "is outside guest RAM"));
	reg_set(&t.p, 0, HV_REG_CRASH_P(3), UINT64_MAX - 4, 0);
	reg_set(&t.p, 0, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE, 0);
	CHECK_EQ(t.crashes, 3);
	tp_destroy(&t);
}

const struct unit_test crash_tests[] = {
	{ "crash_format_plain", crash_format_plain },
	{ "crash_format_message_escaped", crash_format_message_escaped },
	{ "crash_format_bad_buffer", crash_format_bad_buffer },
	{ "crash_notify_via_registers", crash_notify_via_registers },
	{ "crash_message_bounds", crash_message_bounds },
	{ NULL, NULL },
};
