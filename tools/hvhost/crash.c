// SPDX-License-Identifier: GPL-2.0
/*
 * Crash registers and crash reports (format in crash.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "crash.h"
#include "log.h"

bool crash_is_reg(uint32_t name)
{
	return name >= HV_REG_GUEST_CRASH_P0 && name <= HV_REG_GUEST_CRASH_CTL;
}

int crash_reg_get(struct partition *p, uint32_t name, uint64_t *val)
{
	if (!crash_is_reg(name))
		return HVSIM_ST_BAD_REG;
	if (name == HV_REG_GUEST_CRASH_CTL) {
		*val = CRASH_CTL_SUPPORTED;
		return HVSIM_ST_OK;
	}
	pthread_mutex_lock(&p->lock);
	*val = p->crash_p[name - HV_REG_GUEST_CRASH_P0];
	pthread_mutex_unlock(&p->lock);
	return HVSIM_ST_OK;
}

/* Message text: printable ASCII and newlines as they are, the rest escaped. */
static void crash_put_text(struct strbuf *sb, const uint8_t *msg, size_t len)
{
	char esc[8];
	size_t i;

	while (len && msg[len - 1] == '\0')	/* a C string's terminator */
		len--;
	for (i = 0; i < len; i++) {
		uint8_t c = msg[i];

		if (c == '\\') {
			sb_putn(sb, "\\\\", 2);
		} else if (c == '\n' || (c >= 0x20 && c < 0x7f)) {
			sb_putn(sb, (const char *)&c, 1);
		} else {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			sb_putn(sb, esc, 4);
		}
	}
	if (len && msg[len - 1] != '\n')
		sb_putn(sb, "\n", 1);
}

void crash_format(const struct crash_info *ci, struct strbuf *sb)
{
	sb_printf(sb, "crash: vp=%u p0=0x%llx p1=0x%llx p2=0x%llx p3=0x%llx p4=0x%llx ctl=0x%llx\n",
		  ci->vp, (unsigned long long)ci->p[0], (unsigned long long)ci->p[1],
		  (unsigned long long)ci->p[2], (unsigned long long)ci->p[3],
		  (unsigned long long)ci->p[4], (unsigned long long)ci->ctl);
	if (!ci->has_msg)
		return;
	sb_printf(sb, "crash-message-begin\n");
	if (ci->msg_bad)
		sb_printf(sb, "(message buffer gpa=0x%llx len=%llu is outside guest RAM)\n",
			  (unsigned long long)ci->p[3], (unsigned long long)ci->p[4]);
	else
		crash_put_text(sb, ci->msg, ci->msg_len);
	sb_printf(sb, "crash-message-end\n");
}

bool crash_last(struct partition *p, struct strbuf *sb)
{
	bool have;

	pthread_mutex_lock(&p->lock);
	have = p->crash_report;
	if (have)
		sb_putn(sb, p->crash_report, strlen(p->crash_report));
	pthread_mutex_unlock(&p->lock);
	return have;
}

/* Must hold p->lock.  The first report of a run truncates the file. */
static void crash_write_file(struct partition *p, const char *text, size_t len)
{
	FILE *f;

	if (!p->crash_path)
		return;
	f = fopen(p->crash_path, p->crash_file_started ? "a" : "w");
	if (!f) {
		hv_err("cannot write crash report to %s", p->crash_path);
		return;
	}
	p->crash_file_started = true;
	fwrite(text, 1, len, f);
	fclose(f);
}

static void crash_notify(struct partition *p, unsigned int vp, uint64_t ctl)
{
	struct crash_info ci = { .vp = vp, .ctl = ctl };
	struct strbuf sb;
	uint8_t *msg;
	char *text;

	text = malloc(CRASH_REPORT_MAX);
	msg = malloc(HV_CRASH_MESSAGE_MAX);
	if (!text || !msg) {
		hv_err("out of memory for a crash report");
		free(text);
		free(msg);
		goto out;
	}
	ci.msg = msg;
	sb_init(&sb, text, CRASH_REPORT_MAX);
	pthread_mutex_lock(&p->lock);
	memcpy(ci.p, p->crash_p, sizeof(ci.p));
	if (ctl & HV_CRASH_CTL_MESSAGE) {
		ci.has_msg = true;
		ci.msg_len = ci.p[4] < HV_CRASH_MESSAGE_MAX ? ci.p[4] : HV_CRASH_MESSAGE_MAX;
		ci.msg_bad = gm_read(&p->mem, ci.p[3], msg, ci.msg_len) != 0;
	}
	crash_format(&ci, &sb);
	hv_err("the guest reported a crash on vp %u", vp);
	if (hv_log_on()) {
		fwrite(text, 1, sb.len, stderr);
		fflush(stderr);
	}
	crash_write_file(p, text, sb.len);
	free(p->crash_report);
	p->crash_report = text;
	pthread_mutex_unlock(&p->lock);
	free(msg);
out:
	stat_inc(&p->stats, STAT_CRASHES);
	partition_vm_event(p, VM_EVENT_CRASH);
}

int crash_reg_set(struct partition *p, unsigned int vp, uint32_t name, uint64_t val)
{
	if (!crash_is_reg(name))
		return HVSIM_ST_BAD_REG;
	pthread_mutex_lock(&p->lock);
	if (name == HV_REG_GUEST_CRASH_CTL)
		p->crash_ctl = val;
	else
		p->crash_p[name - HV_REG_GUEST_CRASH_P0] = val;
	pthread_mutex_unlock(&p->lock);
	if (name == HV_REG_GUEST_CRASH_CTL && (val & HV_CRASH_CTL_NOTIFY))
		crash_notify(p, vp, val);
	return HVSIM_ST_OK;
}
