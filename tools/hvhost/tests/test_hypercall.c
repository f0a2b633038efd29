// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall control encoding and every validation rule with its status.
 */
#include <endian.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "../hypercall.h"
#include "../log.h"
#include "../services.h"
#include "../util.h"
#include "unit.h"

static uint16_t hc(struct tp *t, uint64_t control, uint64_t a1, uint64_t a2)
{
	return hv_hc_result_status(hypercall_exec(&t->p, 0, 0, control, a1, a2, false));
}

#define POST	hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0)
#define SIGNAL	hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0)
#define GETREGS(n, s)	hv_hc_control(HVCALL_GET_VP_REGISTERS, 0, 0, n, s)

/* A valid echo post at TP_INPUT (so only the rule under test fails). */
static void put_echo(struct tp *t)
{
	struct hv_input_post_message *in = (void *)(t->ram + TP_INPUT);

	memset(in, 0, sizeof(*in));
	in->connection_id = htole32(HVSIM_ECHO_CONNECTION_ID);
	in->message_type = htole32(1);
	in->payload_size = htole32(4);
}

static void hc_control_encode_decode(void)
{
	uint64_t c = hv_hc_control(0x50, 1, 0, 1, 0);

	CHECK_EQ(c, 0x0000000100010050ULL);
	CHECK_EQ(hv_hc_code(c), 0x50);
	CHECK(hv_hc_is_fast(c));
	CHECK_EQ(hv_hc_rep_count(c), 1);
	CHECK_EQ(hv_hc_rep_start(c), 0);
	c = hv_hc_control(0x5c, 0, 3, 0xfff, 0x123);
	CHECK_EQ(c, 0x01230fff0006005cULL);
	CHECK_EQ(hv_hc_varhead(c), 3);
	CHECK_EQ(hv_hc_rep_start(c), 0x123);
	CHECK_EQ(c & HV_HC_RSVD_MASK, 0);
	/* Fields wider than their slot are cut, never spill into reserved bits. */
	CHECK_EQ(hv_hc_control(0x5c, 0, 0x400, 0x1000, 0x1000) & HV_HC_RSVD_MASK, 0);
	CHECK_EQ(hv_hc_result(0x13, 5), 0x0000000500000013ULL);
	CHECK_EQ(hv_hc_result_status(0x0000000500000013ULL), 0x13);
	CHECK_EQ(hv_hc_result_reps(0x0000000500000013ULL), 5);
	CHECK_EQ(hv_signal_event_fast_input(0x7ec1, 3), 0x0000000300007ec1ULL);
}

static void hc_reserved_bits(void)
{
	static const int bits[] = { 27, 30, 44, 47, 60, 63 };
	struct tp t;
	unsigned int i;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	put_echo(&t);
	CHECK_EQ(hc(&t, POST, TP_INPUT, 0), HV_STATUS_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		CHECK_EQ(hc(&t, POST | 1ULL << bits[i], TP_INPUT, 0),
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Bit 31 (nested) is not reserved. */
	CHECK_EQ(hc(&t, POST | 1ULL << 31, TP_INPUT, 0), HV_STATUS_SUCCESS);
	tp_destroy(&t);
}

static void hc_unknown_code(void)
{
	struct tp t;
	uint64_t r;

	tp_init(&t, 1);
	CHECK_EQ(hc(&t, hv_hc_control(0x0999, 0, 0, 0, 0), TP_INPUT, 0),
		 HV_STATUS_INVALID_HYPERCALL_CODE);
	CHECK_EQ(hc(&t, hv_hc_control(0, 1, 0, 0, 0), 0, 0), HV_STATUS_INVALID_HYPERCALL_CODE);
	r = hypercall_exec(&t.p, 0, 0, hv_hc_control(0x8001, 0, 0, 0, 0), 0, 0, false);
	CHECK_EQ(r, HV_STATUS_INVALID_HYPERCALL_CODE);
	tp_destroy(&t);
}

static void hc_simple_with_reps(void)
{
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	put_echo(&t);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 1, 0), TP_INPUT, 0),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 1), TP_INPUT, 0),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 2, 0),
		    hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 0), 0),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	tp_destroy(&t);
}

static void hc_varhead(void)
{
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	put_echo(&t);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_POST_MESSAGE, 0, 1, 0, 0), TP_INPUT, 0),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_GET_VP_REGISTERS, 0, 2, 1, 0), TP_INPUT,
		    TP_OUTPUT), HV_STATUS_INVALID_HYPERCALL_INPUT);
	tp_destroy(&t);
}

static void put_getregs(struct tp *t, const uint32_t *names, unsigned int n)
{
	struct hv_input_vp_registers_header *h = (void *)(t->ram + TP_INPUT);
	uint32_t le;
	unsigned int i;

	memset(h, 0, 4096);
	h->partition_id = htole64(HV_PARTITION_ID_SELF);
	h->vp_index = htole32(HV_VP_INDEX_SELF);
	for (i = 0; i < n; i++) {
		le = htole32(names[i]);
		memcpy(t->ram + TP_INPUT + 16 + 4 * i, &le, 4);
	}
}

static void hc_rep_count_rules(void)
{
	static const uint32_t names[] = { HV_REG_VP_INDEX, HV_REG_SVERSION };
	struct tp t;

	tp_init(&t, 1);
	put_getregs(&t, names, 2);
	CHECK_EQ(hc(&t, GETREGS(0, 0), TP_INPUT, TP_OUTPUT), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, GETREGS(2, 2), TP_INPUT, TP_OUTPUT), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, GETREGS(2, 3), TP_INPUT, TP_OUTPUT), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, GETREGS(2, 1), TP_INPUT, TP_OUTPUT), HV_STATUS_SUCCESS);
	CHECK_EQ(hc(&t, GETREGS(2, 0), TP_INPUT, TP_OUTPUT), HV_STATUS_SUCCESS);
	tp_destroy(&t);
}

static void hc_alignment(void)
{
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	CHECK_EQ(hc(&t, POST, TP_INPUT + 4, 0), HV_STATUS_INVALID_ALIGNMENT);
	CHECK_EQ(hc(&t, POST, TP_INPUT + 1, 0), HV_STATUS_INVALID_ALIGNMENT);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_SIGNAL_EVENT, 0, 0, 0, 0), TP_INPUT + 2, 0),
		 HV_STATUS_INVALID_ALIGNMENT);
	CHECK_EQ(stat_get(&t.p.stats, STAT_BAD_GPA), 3);
	tp_destroy(&t);
}

static void hc_page_crossing(void)
{
	static const uint32_t names[] = { HV_REG_VP_INDEX };
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	/* 256 bytes starting 128 bytes before a page end. */
	CHECK_EQ(hc(&t, POST, TP_INPUT + 4096 - 128, 0), HV_STATUS_INVALID_ALIGNMENT);
	/* Exactly up to the end of the page is fine. */
	put_echo(&t);
	memmove(t.ram + TP_INPUT + 4096 - 256, t.ram + TP_INPUT, 256);
	CHECK_EQ(hc(&t, POST, TP_INPUT + 4096 - 256, 0), HV_STATUS_SUCCESS);
	/* Output list crossing: 2 x 16 bytes from 16 bytes before the end. */
	put_getregs(&t, names, 1);
	CHECK_EQ(hc(&t, GETREGS(1, 0), TP_INPUT, TP_OUTPUT + 4096 - 16), HV_STATUS_SUCCESS);
	CHECK_EQ(hc(&t, GETREGS(2, 0), TP_INPUT, TP_OUTPUT + 4096 - 16),
		 HV_STATUS_INVALID_ALIGNMENT);
	tp_destroy(&t);
}

static void hc_gpa_outside_ram(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(hc(&t, POST, TP_RAM_SIZE, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, POST, 0x7ffffff000ULL, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, POST, 0xfffffffffffff000ULL, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_SIGNAL_EVENT, 0, 0, 0, 0), UINT64_MAX - 7, 0),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(stat_get(&t.p.stats, STAT_BAD_GPA), 4);
	/* The last page of RAM is fine. */
	memset(t.ram + TP_RAM_SIZE - 4096, 0, 256);
	CHECK_EQ(hc(&t, POST, TP_RAM_SIZE - 4096, 0), HV_STATUS_INVALID_PARAMETER);
	tp_destroy(&t);
}

static void hc_post_message_rules(void)
{
	static const uint8_t full[HV_MESSAGE_PAYLOAD_MAX];
	struct hv_input_post_message *in;
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	in = (void *)(t.ram + TP_INPUT);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 0, "x", 1),
		 HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 0x80000001, "x", 1),
		 HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 1, "x", 241),
		 HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(tp_post(&t, 0, 1, 1, "x", 1), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID | 1 << 24, 1, "x", 1),
		 HV_STATUS_INVALID_CONNECTION_ID);
	/* A connection that only takes events is not a message port. */
	CHECK_EQ(tp_post(&t, 0, HVSIM_EVENT_CONNECTION_ID, 1, "x", 1),
		 HV_STATUS_INVALID_PORT_ID);
	put_echo(&t);
	in->reserved = htole32(1);
	CHECK_EQ(hc(&t, POST, TP_INPUT, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 1, full, 240), HV_STATUS_SUCCESS);
	/* No room for 256 bytes in two registers. */
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_POST_MESSAGE, 1, 0, 0, 0), 0, 0),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	tp_destroy(&t);
}

static void hc_signal_event_forms(void)
{
	struct hv_input_signal_event *in;
	uint8_t *flags;
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	flags = t.ram + TP_SIEFP(0) + HVSIM_ECHO_SINT * 256;
	CHECK_EQ(hc(&t, SIGNAL, hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 9), 0),
		 HV_STATUS_SUCCESS);
	CHECK_EQ(flags[1], 0x02);
	/* The memory form. */
	in = (void *)(t.ram + TP_INPUT);
	in->connection_id = htole32(HVSIM_EVENT_CONNECTION_ID);
	in->flag_number = htole16(2047);
	in->reserved = 0;
	CHECK_EQ(hc(&t, hv_hc_control(HVCALL_SIGNAL_EVENT, 0, 0, 0, 0), TP_INPUT, 0),
		 HV_STATUS_SUCCESS);
	CHECK_EQ(flags[255], 0x80);
	/* The fast form through the force_fast path (HVSIM_OP_FAST_HYPERCALL). */
	CHECK_EQ(hv_hc_result_status(hypercall_exec(&t.p, 0, 0,
		 hv_hc_control(HVCALL_SIGNAL_EVENT, 0, 0, 0, 0),
		 hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 0), 0, true)),
		 HV_STATUS_SUCCESS);
	CHECK_EQ(flags[0], 0x01);
	CHECK_EQ(hc(&t, SIGNAL, hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 2048), 0),
		 HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(hc(&t, SIGNAL, hv_signal_event_fast_input(0x2001, 0), 0),
		 HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(hc(&t, SIGNAL, hv_signal_event_fast_input(HVSIM_ECHO_CONNECTION_ID, 0), 0),
		 HV_STATUS_INVALID_PORT_ID);
	CHECK_EQ(hc(&t, SIGNAL, hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, 0) |
		    1ULL << 48, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	tp_destroy(&t);
}

static void hc_get_set_vp_registers(void)
{
	static const uint32_t names[] = { HV_REG_VP_INDEX, HV_REG_SVERSION, 0x12345,
					  HV_REG_SVERSION };
	struct hv_input_vp_registers_header *h;
	uint64_t r, v;
	uint8_t *e;
	struct tp t;

	tp_init(&t, 2);
	put_getregs(&t, names, 4);
	h = (void *)(t.ram + TP_INPUT);
	h->vp_index = htole32(1);
	memset(t.ram + TP_OUTPUT, 0xaa, 64);
	r = hypercall_exec(&t.p, 0, 0, GETREGS(2, 0), TP_INPUT, TP_OUTPUT, false);
	CHECK_EQ(r, hv_hc_result(HV_STATUS_SUCCESS, 2));
	memcpy(&v, t.ram + TP_OUTPUT, 8);
	CHECK_EQ(le64toh(v), 1);
	memcpy(&v, t.ram + TP_OUTPUT + 16, 8);
	CHECK_EQ(le64toh(v), 1);
	/* Element 2 is unknown: two done, counted from rep start. */
	r = hypercall_exec(&t.p, 0, 0, GETREGS(4, 1), TP_INPUT, TP_OUTPUT, false);
	CHECK_EQ(r, hv_hc_result(HV_STATUS_INVALID_PARAMETER, 2));
	h->vp_index = htole32(2);
	CHECK_EQ(hc(&t, GETREGS(1, 0), TP_INPUT, TP_OUTPUT), HV_STATUS_INVALID_VP_INDEX);
	h->vp_index = htole32(HV_VP_INDEX_SELF);
	h->partition_id = htole64(5);
	CHECK_EQ(hc(&t, GETREGS(1, 0), TP_INPUT, TP_OUTPUT), HV_STATUS_INVALID_PARTITION_ID);
	/* Set: GUEST_OS_ID through the rep list. */
	h->partition_id = htole64(HV_PARTITION_ID_SELF);
	e = t.ram + TP_INPUT + 16;
	memset(e, 0, 32);
	v = htole32(HV_REG_GUEST_OS_ID);
	memcpy(e, &v, 4);
	v = htole64(0x8100000601000000ULL);
	memcpy(e + 16, &v, 8);
	r = hypercall_exec(&t.p, 1, 0, hv_hc_control(HVCALL_SET_VP_REGISTERS, 0, 0, 1, 0),
			   TP_INPUT, 0, false);
	CHECK_EQ(r, hv_hc_result(HV_STATUS_SUCCESS, 1));
	CHECK_EQ(t.p.guest_os_id, 0x8100000601000000ULL);
	tp_destroy(&t);
}

static void hc_stats_per_status(void)
{
	char buf[8192];
	struct strbuf sb;
	struct tp t;

	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 1, "ab", 2), HV_STATUS_SUCCESS);
	CHECK_EQ(tp_post(&t, 0, 77, 1, "ab", 2), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(tp_post(&t, 0, 77, 1, "ab", 2), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(hc(&t, hv_hc_control(0x777, 0, 0, 0, 0), 0, 0), HV_STATUS_INVALID_HYPERCALL_CODE);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HYPERCALLS), 4);
	CHECK_EQ(stat_get(&t.p.stats, STAT_POST_MESSAGE), 3);
	CHECK_EQ(stat_hc_get(&t.p.stats, HVCALL_POST_MESSAGE, HV_STATUS_SUCCESS), 1);
	CHECK_EQ(stat_hc_get(&t.p.stats, HVCALL_POST_MESSAGE, HV_STATUS_INVALID_CONNECTION_ID), 2);
	CHECK_EQ(stat_status_get(&t.p.stats, HV_STATUS_INVALID_HYPERCALL_CODE), 1);
	sb_init(&sb, buf, sizeof(buf));
	stats_format(&t.p.stats, &sb);
	CHECK(strstr(buf, "\nstatus_0x0000=1\n"));
	CHECK(strstr(buf, "\nstatus_0x0012=2\n"));
	CHECK(strstr(buf, "\nstatus_0x0002=1\n"));
	CHECK(strstr(buf, "hc_0x005c_status_0x0012=2"));
	CHECK(strstr(buf, "hc_other_status_0x0002=1"));
	CHECK(!strstr(buf, "status_0x0003="));
	tp_destroy(&t);
}

static void hc_input_copied_once(void)
{
	struct tp t;
	struct hv_message *slot;

	/* The reply carries what was in guest memory at the time of the call. */
	tp_init(&t, 1);
	tp_synic_on(&t, 0);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 7, "hello", 5), HV_STATUS_SUCCESS);
	memset(t.ram + TP_INPUT, 0xee, 256);	/* the guest scribbles afterwards */
	slot = tp_slot(&t, 0, HVSIM_ECHO_SINT);
	CHECK_EQ(le32toh(slot->header.message_type), 7);
	CHECK(!memcmp(slot->payload, "hello", 5));
	tp_destroy(&t);
}

const struct unit_test hypercall_tests[] = {
	{ "hc_control_encode_decode", hc_control_encode_decode },
	{ "hc_reserved_bits_invalid_input", hc_reserved_bits },
	{ "hc_unknown_code", hc_unknown_code },
	{ "hc_simple_call_with_reps", hc_simple_with_reps },
	{ "hc_variable_header", hc_varhead },
	{ "hc_rep_count_and_start", hc_rep_count_rules },
	{ "hc_gpa_misaligned", hc_alignment },
	{ "hc_gpa_page_crossing", hc_page_crossing },
	{ "hc_gpa_outside_ram", hc_gpa_outside_ram },
	{ "hc_post_message_rules", hc_post_message_rules },
	{ "hc_signal_event_forms", hc_signal_event_forms },
	{ "hc_get_set_vp_registers", hc_get_set_vp_registers },
	{ "hc_stats_per_status", hc_stats_per_status },
	{ "hc_input_copied", hc_input_copied_once },
	{ NULL, NULL },
};
