// SPDX-License-Identifier: GPL-2.0
/*
 * The mailbox protocol, with the guest side faked in memory.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "../mailbox.h"
#include "../regs.h"
#include "unit.h"

/* Guest side: fill a request and publish it (store-release req_seq). */
static void request(struct hvsim_mailbox *mb, uint32_t op, uint64_t a0, uint64_t a1,
		    uint64_t a2)
{
	uint32_t seq = le32toh(mb->req_seq) + 1;

	mb->op = htole32(op);
	mb->arg[0] = htole64(a0);
	mb->arg[1] = htole64(a1);
	mb->arg[2] = htole64(a2);
	mb->guest_tsc = htole64(123456789);
	__atomic_store_n(&mb->req_seq, htole32(seq), __ATOMIC_RELEASE);
}

static bool answered(struct hvsim_mailbox *mb)
{
	return __atomic_load_n(&mb->done_seq, __ATOMIC_ACQUIRE) == mb->req_seq;
}

static struct hvsim_mailbox *new_mailbox(void)
{
	return calloc(1, sizeof(struct hvsim_mailbox));
}

static void mbox_idle(void)
{
	struct hvsim_mailbox *mb = new_mailbox();
	struct tp t;

	tp_init(&t, 1);
	CHECK(!mailbox_process(&t.p, 0, mb));
	mb->op = htole32(HVSIM_OP_GET_REG);
	CHECK(!mailbox_process(&t.p, 0, mb));		/* no new req_seq: nothing */
	CHECK_EQ(stat_get(&t.p.stats, STAT_MAILBOX_REQUESTS), 0);
	free(mb);
	tp_destroy(&t);
}

static void mbox_registers(void)
{
	struct hvsim_mailbox *mb = new_mailbox();
	struct tp t;

	tp_init(&t, 3);
	request(mb, HVSIM_OP_GET_REG, HV_REG_VP_INDEX, 0, 0);
	CHECK(mailbox_process(&t.p, 2, mb));
	CHECK(answered(mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	CHECK_EQ(le64toh(mb->ret[1]), 2);
	CHECK(!mailbox_process(&t.p, 2, mb));		/* done: a repeat doorbell is a no-op */
	request(mb, HVSIM_OP_SET_REG, HV_REG_VP_INDEX, 9, 0);
	CHECK(mailbox_process(&t.p, 2, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_BAD_REG);
	request(mb, HVSIM_OP_SET_REG, HV_REG_SINT(2), 3, 0);
	CHECK(mailbox_process(&t.p, 2, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_BAD_VALUE);
	request(mb, HVSIM_OP_SET_REG, HV_REG_GUEST_OS_ID, 0x8100000601000000ULL, 0);
	CHECK(mailbox_process(&t.p, 2, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	CHECK_EQ(t.p.guest_os_id, 0x8100000601000000ULL);
	request(mb, 77, 0, 0, 0);
	CHECK(mailbox_process(&t.p, 2, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_BAD_OP);
	CHECK(answered(mb));
	free(mb);
	tp_destroy(&t);
}

static void mbox_hypercalls(void)
{
	struct hvsim_mailbox *mb = new_mailbox();
	struct hv_input_post_message *in;
	struct tp t;

	tp_init(&t, 2);
	tp_synic_on(&t, 1);
	in = (void *)(t.ram + TP_INPUT);
	memset(in, 0, sizeof(*in));
	in->connection_id = htole32(HVSIM_ECHO_CONNECTION_ID);
	in->message_type = htole32(1);
	in->payload_size = htole32(3);
	memcpy(in->payload, "abc", 3);
	request(mb, HVSIM_OP_HYPERCALL, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0), TP_INPUT,
		0);
	CHECK(mailbox_process(&t.p, 1, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	CHECK_EQ(le64toh(mb->ret[0]), hv_hc_result(HV_STATUS_SUCCESS, 0));
	CHECK(!memcmp(tp_slot(&t, 1, HVSIM_ECHO_SINT)->payload, "abc", 3));
	/* A hypercall failure is a transport success with the TLFS status in ret0. */
	request(mb, HVSIM_OP_HYPERCALL, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0),
		TP_INPUT + 4, 0);
	CHECK(mailbox_process(&t.p, 1, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	CHECK_EQ(le64toh(mb->ret[0]), HV_STATUS_INVALID_ALIGNMENT);
	/* FAST_HYPERCALL: the fast bit is implied. */
	request(mb, HVSIM_OP_FAST_HYPERCALL, hv_hc_control(HVCALL_SIGNAL_EVENT, 0, 0, 0, 0),
		hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 3), 0);
	CHECK(mailbox_process(&t.p, 1, mb));
	CHECK_EQ(le64toh(mb->ret[0]), HV_STATUS_SUCCESS);
	CHECK_EQ(t.ram[TP_SIEFP(1) + HVSIM_ECHO_SINT * 256], 0x08);
	/* VP 0 (SynIC off) posting through its own mailbox is refused. */
	request(mb, HVSIM_OP_FAST_HYPERCALL, hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0),
		hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 3), 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK_EQ(le64toh(mb->ret[0]), HV_STATUS_INVALID_SYNIC_STATE);
	free(mb);
	tp_destroy(&t);
}

static void mbox_hostctl(void)
{
	struct hvsim_mailbox *mb = new_mailbox();
	struct tp t;

	tp_init(&t, 1);
	memcpy(mb->text, "ping", 4);
	mb->text_len = htole32(4);
	request(mb, HVSIM_OP_HOSTCTL, 0, 0, 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	CHECK_EQ(le32toh(mb->text_len), 4);
	CHECK(!memcmp(mb->text, "pong", 4));
	CHECK_EQ(le64toh(mb->ret[0]), 0);
	/* Not NUL-terminated, garbage after text_len is ignored. */
	memcpy(mb->text, "exit 5XXXX", 10);
	mb->text_len = htole32(6);
	request(mb, HVSIM_OP_HOSTCTL, 0, 0, 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK(!memcmp(mb->text, "ok", 2));
	CHECK_EQ(partition_exit_status(&t.p), 5);
	/* An error answer: ret0 = 1. */
	memcpy(mb->text, "nope", 4);
	mb->text_len = htole32(4);
	request(mb, HVSIM_OP_HOSTCTL, 0, 0, 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK_EQ(le64toh(mb->ret[0]), 1);
	CHECK(!memcmp(mb->text, "error:", 6));
	/* text_len out of range. */
	mb->text_len = htole32(HVSIM_TEXT_MAX + 1);
	request(mb, HVSIM_OP_HOSTCTL, 0, 0, 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_BAD_TEXT);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTCTL), 4);
	free(mb);
	tp_destroy(&t);
}

static void mbox_hostctl_long_answer(void)
{
	struct hvsim_mailbox *mb = new_mailbox();
	struct tp t;

	tp_init(&t, 64);	/* vp-state for 64 VPs is longer than HVSIM_TEXT_MAX */
	memcpy(mb->text, "vp-state", 8);
	mb->text_len = htole32(8);
	request(mb, HVSIM_OP_HOSTCTL, 0, 0, 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	CHECK_EQ(le32toh(mb->text_len), HVSIM_TEXT_MAX);
	CHECK(!memcmp(mb->text, "vp=0 ", 5));
	free(mb);
	tp_destroy(&t);
}

static void mbox_reftsc_uses_guest_tsc(void)
{
	struct hvsim_mailbox *mb = new_mailbox();
	struct hv_ref_tsc_page *pg;
	struct tp t;

	tp_init(&t, 1);
	t.p.tsc_hz = 1000000000ULL;
	t.now_ns += 7000000000ULL;
	request(mb, HVSIM_OP_SET_REG, HV_REG_REFERENCE_TSC, 0x7000 | 1, 0);
	CHECK(mailbox_process(&t.p, 0, mb));
	CHECK_EQ(le32toh(mb->status), HVSIM_ST_OK);
	pg = (void *)(t.ram + 0x7000);
	/* At the request's guest_tsc (123456789) the page reads 7 s. */
	CHECK_EQ(((__uint128_t)123456789 * le64toh(pg->tsc_scale) >> 64) +
		 le64toh(pg->tsc_offset), 70000000);
	free(mb);
	tp_destroy(&t);
}

static void mbox_header(void)
{
	struct hvsim_shm_header *h = calloc(1, sizeof(*h));

	memset(h, 0xff, sizeof(*h));
	mailbox_fill_header(h, 2, 512ULL << 20);
	CHECK_EQ(le32toh(h->magic), HVSIM_MAGIC);
	CHECK_EQ(le32toh(h->abi_version), HVSIM_ABI_VERSION);
	CHECK_EQ(le32toh(h->nr_vps), 2);
	CHECK_EQ(le32toh(h->mailbox_offset), HVSIM_MAILBOX_OFFSET);
	CHECK_EQ(le32toh(h->mailbox_size), HVSIM_MAILBOX_SIZE);
	CHECK_EQ(le64toh(h->ram_size), 512ULL << 20);
	CHECK_EQ(le64toh(h->privileges), 0x30000002e6ULL);
	CHECK_EQ(le32toh(h->misc_features), HV_MISC_CRASH_MSRS);
	CHECK_EQ(le32toh(h->recommendations), HV_RECOMMEND_NO_AUTO_EOI);
	CHECK_EQ(le32toh(h->max_vps), 64);
	CHECK(!strcmp((char *)h->host_name, "hvhost 0.1"));
	CHECK_EQ(h->reserved2[0], 0);
	free(h);
}

const struct unit_test mailbox_tests[] = {
	{ "mailbox_idle_no_request", mbox_idle },
	{ "mailbox_get_set_reg", mbox_registers },
	{ "mailbox_hypercalls", mbox_hypercalls },
	{ "mailbox_hostctl", mbox_hostctl },
	{ "mailbox_hostctl_truncated_answer", mbox_hostctl_long_answer },
	{ "mailbox_reference_tsc_guest_tsc", mbox_reftsc_uses_guest_tsc },
	{ "mailbox_shm_header", mbox_header },
	{ NULL, NULL },
};
