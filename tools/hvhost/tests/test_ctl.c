// SPDX-License-Identifier: GPL-2.0
/*
 * The control command processor and the control socket.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hyperv/hvsim.h"
#include "../ctl.h"
#include "../regs.h"
#include "../synic.h"
#include "../util.h"
#include "unit.h"

static char answer[CTL_ANSWER_MAX];

static const char *run(struct tp *t, const char *cmd, int expect_rc)
{
	if (ctl_exec(&t->p, cmd, answer, sizeof(answer)) != expect_rc)
		return "(wrong return code)";
	return answer;
}

static void ctl_ping_help_unknown(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK(!strcmp(run(&t, "ping", 0), "pong"));
	CHECK(!strcmp(run(&t, "  ping\n", 0), "pong"));
	CHECK(!strncmp(run(&t, "frobnicate", -1), "error: unknown command", 22));
	CHECK(!strncmp(run(&t, "", -1), "error:", 6));
	CHECK(!strncmp(run(&t, "ping extra", -1), "error: usage: ping", 18));
	run(&t, "help", 0);
	CHECK(strstr(answer, "ping - "));
	CHECK(strstr(answer, "vp-state - "));
	CHECK(strstr(answer, "\nexit N - "));
	CHECK(strstr(answer, "crash - "));
	tp_destroy(&t);
}

/* post: a burst lands in the slot and the queue, in order, 240-byte payloads. */
static void ctl_post_burst(void)
{
	struct hv_message m;
	uint32_t seq;
	unsigned int i;
	struct tp t;

	tp_init(&t, 2);
	tp_synic_on(&t, 1);
	CHECK(!strcmp(run(&t, "post 1 5 0x45434832 5", 0), "queued=5"));
	CHECK_EQ(synic_queued(&t.p, 1, 5), 4);
	for (i = 0; i < 5; i++) {
		/* MessagePending is set while more wait in the queue. */
		CHECK_EQ(tp_consume(&t, 1, 5, &m), i < 4);
		CHECK_EQ(le32toh(m.header.message_type), 0x45434832);
		CHECK_EQ(m.header.payload_size, HV_MESSAGE_PAYLOAD_MAX);
		memcpy(&seq, m.payload, sizeof(seq));
		CHECK_EQ(le32toh(seq), i);
		CHECK_EQ(m.payload[HV_MESSAGE_PAYLOAD_MAX - 1], i);
	}
	CHECK(!tp_consume(&t, 1, 5, &m));
	CHECK_EQ(le32toh(m.header.message_type), HVMSG_NONE);
	/* VP 0's SynIC is off: refused with the status, nothing queued. */
	CHECK(!strcmp(run(&t, "post 0 5 1 3", -1),
		      "error: post to vp 0 sint 5 failed after 0 messages: status 0x0018"));
	CHECK(!strncmp(run(&t, "post 2 5 1 1", -1), "error: usage: post", 18));
	CHECK(!strncmp(run(&t, "post 1 16 1 1", -1), "error: usage: post", 18));
	CHECK(!strncmp(run(&t, "post 1 5 0 1", -1), "error: usage: post", 18));
	CHECK(!strncmp(run(&t, "post 1 5 1 65", -1), "error: usage: post", 18));
	tp_destroy(&t);
}

static void ctl_exit_status(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(partition_exit_status(&t.p), (uint64_t)-1);
	CHECK(!strcmp(run(&t, "exit 7", 0), "ok"));
	CHECK_EQ(partition_exit_status(&t.p), 7);
	CHECK(!strcmp(run(&t, "exit 0", 0), "ok"));
	CHECK_EQ(partition_exit_status(&t.p), 0);
	CHECK(!strcmp(run(&t, "exit 255", 0), "ok"));
	CHECK(!strncmp(run(&t, "exit 256", -1), "error:", 6));
	CHECK(!strncmp(run(&t, "exit -1", -1), "error:", 6));
	CHECK(!strncmp(run(&t, "exit 3x", -1), "error:", 6));
	CHECK(!strncmp(run(&t, "exit", -1), "error:", 6));
	CHECK(!strncmp(run(&t, "exit 99999999999999999999999", -1), "error:", 6));
	CHECK_EQ(partition_exit_status(&t.p), 255);
	tp_destroy(&t);
}

static void ctl_vp_state_format(void)
{
	struct tp t;

	tp_init(&t, 2);
	tp_synic_on(&t, 1);
	reg_set(&t.p, 1, HV_REG_SCONTROL, 0, 0);
	reg_set(&t.p, 1, HV_REG_SCONTROL, 1, 0);
	run(&t, "vp-state", 0);
	CHECK(!strcmp(answer,
		      "vp=0 scontrol=0x0 simp=0x0 siefp=0x0 sint2=0x10000 sint5=0x10000 "
		      "synic_enables=0 synic_disables=0\n"
		      "vp=1 scontrol=0x1 simp=0x14001 siefp=0x15001 sint2=0x40 sint5=0x40 "
		      "synic_enables=2 synic_disables=1"));
	tp_destroy(&t);
}

static void ctl_stats_names(void)
{
	static const char *const names[] = {
		"hypercalls", "post_message", "signal_event", "echo_replies", "events_signaled",
		"messages_queued", "messages_delivered", "interrupts", "eom", "reg_reads",
		"reg_writes", "hostctl", "bad_gpa",
	};
	char key[64];
	unsigned int i;
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 1, "x", 1);
	run(&t, "stats", 0);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(key, sizeof(key), "%s=", names[i]);
		CHECK(!strncmp(answer, key, strlen(key)) ||
		      (snprintf(key, sizeof(key), "\n%s=", names[i]) && strstr(answer, key)));
	}
	CHECK(!strncmp(answer, "hypercalls=1\n", 13));
	CHECK(strstr(answer, "\necho_replies=1\n"));
	CHECK(strstr(answer, "\nstatus_0x0000=1"));
	CHECK(answer[strlen(answer) - 1] != '\n');
	tp_destroy(&t);
}

static void ctl_registers_and_time(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK(!strcmp(run(&t, "guest-os-id", 0), "0x0"));
	reg_set(&t.p, 0, HV_REG_GUEST_OS_ID, 0x8100000601380000ULL, 0);
	CHECK(!strcmp(run(&t, "guest-os-id", 0), "0x8100000601380000"));
	t.now_ns += 2500000;
	CHECK(!strcmp(run(&t, "reftime", 0), "25000"));
	tp_destroy(&t);
}

static void ctl_crash_answer(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK(!strcmp(run(&t, "crash", 0), "none"));
	reg_set(&t.p, 0, HV_REG_CRASH_P(0), 0x77, 0);
	reg_set(&t.p, 0, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NOTIFY, 0);
	CHECK(!strcmp(run(&t, "crash", 0), "crash: vp=0 p0=0x77 p1=0x0 p2=0x0 p3=0x0 p4=0x0 "
			  "ctl=0x8000000000000000"));
	tp_destroy(&t);
}

static void ctl_truncation(void)
{
	char small[20];
	struct tp t;

	tp_init(&t, 4);
	CHECK_EQ(ctl_exec(&t.p, "vp-state", small, sizeof(small)), 0);
	CHECK_EQ(strlen(small), sizeof(small) - 1);
	CHECK(!strncmp(small, "vp=0 scontrol=0x0 s", 19));
	tp_destroy(&t);
}

static void ctl_socket_roundtrip(void)
{
	char path[64], buf[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd, cfd;
	ssize_t n;
	struct tp t;

	tp_init(&t, 1);
	snprintf(path, sizeof(path), "/tmp/hvhost-unit-%d.sock", (int)getpid());
	lfd = ctlsock_listen(path);
	CHECK(lfd >= 0);
	/* A second listener on a live socket must refuse. */
	CHECK_EQ(ctlsock_listen(path), (uint64_t)-1);
	strcpy(sa.sun_path, path);
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(!connect(cfd, (struct sockaddr *)&sa, sizeof(sa)));
	CHECK_EQ(write(cfd, "exit 42\n", 8), 8);
	ctlsock_serve(lfd, &t.p);	/* serves the probe of the second listen first */
	ctlsock_serve(lfd, &t.p);
	n = read(cfd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(!strcmp(buf, "ok\n"));
	CHECK_EQ(partition_exit_status(&t.p), 42);
	close(cfd);
	close(lfd);
	unlink(path);
	tp_destroy(&t);
}

const struct unit_test ctl_tests[] = {
	{ "ctl_ping_help_unknown", ctl_ping_help_unknown },
	{ "ctl_exit_status", ctl_exit_status },
	{ "ctl_post_burst", ctl_post_burst },
	{ "ctl_vp_state_format", ctl_vp_state_format },
	{ "ctl_stats_names", ctl_stats_names },
	{ "ctl_guest_os_id_reftime", ctl_registers_and_time },
	{ "ctl_crash_answer", ctl_crash_answer },
	{ "ctl_answer_truncated", ctl_truncation },
	{ "ctl_socket_roundtrip", ctl_socket_roundtrip },
	{ NULL, NULL },
};
