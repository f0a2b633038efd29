// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table and the echo / event test services.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "../hypercall.h"
#include "../regs.h"
#include "../services.h"
#include "../synic.h"
#include "unit.h"

static uint16_t signal_ev(struct tp *t, unsigned int vp, unsigned int flag)
{
	uint64_t r = hypercall_exec(&t->p, vp, 0, hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0),
				    hv_signal_event_fast_input(HVSIM_EVENT_CONNECTION_ID, flag),
				    0, false);

	return hv_hc_result_status(r);
}

static void svc_echo_to_sender_only(void)
{
	struct hv_message *s0, *s1;
	struct tp t;

	tp_init(&t, 2);
	tp_synic_on(&t, 0);
	tp_synic_on(&t, 1);
	CHECK_EQ(tp_post(&t, 1, HVSIM_ECHO_CONNECTION_ID, 0x42, "ping!", 5), HV_STATUS_SUCCESS);
	s0 = tp_slot(&t, 0, HVSIM_ECHO_SINT);
	s1 = tp_slot(&t, 1, HVSIM_ECHO_SINT);
	CHECK_EQ(le32toh(s0->header.message_type), HVMSG_NONE);
	CHECK_EQ(le32toh(s1->header.message_type), 0x42);
	CHECK_EQ(s1->header.payload_size, 5);
	CHECK(!memcmp(s1->payload, "ping!", 5));
	CHECK_EQ(le64toh(s1->header.sender), HVSIM_ECHO_CONNECTION_ID);
	CHECK_EQ(tp_irqs(&t, 0), 0);
	CHECK_EQ(tp_irqs(&t, 1), 1);
	/* Nothing on the VMBus SINT either. */
	CHECK_EQ(le32toh(tp_slot(&t, 1, 2)->header.message_type), HVMSG_NONE);
	CHECK_EQ(stat_get(&t.p.stats, STAT_ECHO_REPLIES), 1);
	/* An empty payload is a valid message too. */
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 1, NULL, 0), HV_STATUS_SUCCESS);
	CHECK_EQ(tp_slot(&t, 0, HVSIM_ECHO_SINT)->header.payload_size, 0);
	tp_destroy(&t);
}

static void svc_echo_synic_state(void)
{
	struct tp t;

	tp_init(&t, 2);
	tp_synic_on(&t, 0);
	/* VP 1's SynIC is off: its post fails even though VP 0's is on. */
	CHECK_EQ(tp_post(&t, 1, HVSIM_ECHO_CONNECTION_ID, 1, "x", 1),
		 HV_STATUS_INVALID_SYNIC_STATE);
	reg_set(&t.p, 0, HV_REG_SINT(HVSIM_ECHO_SINT), HV_SINT_MASKED | TP_VECTOR, 0);
	CHECK_EQ(tp_post(&t, 0, HVSIM_ECHO_CONNECTION_ID, 1, "x", 1),
		 HV_STATUS_INVALID_SYNIC_STATE);
	CHECK_EQ(stat_get(&t.p.stats, STAT_ECHO_REPLIES), 0);
	tp_destroy(&t);
}

static void svc_event_newly_set(void)
{
	uint8_t *area;
	struct tp t;

	tp_init(&t, 2);
	tp_synic_on(&t, 0);
	tp_synic_on(&t, 1);
	area = t.ram + TP_SIEFP(1) + HVSIM_ECHO_SINT * 256;
	CHECK_EQ(signal_ev(&t, 1, 70), HV_STATUS_SUCCESS);
	CHECK_EQ(area[70 / 8], 1 << (70 % 8));
	CHECK_EQ(tp_irqs(&t, 1), 1);
	/* Already set: no new interrupt. */
	CHECK_EQ(signal_ev(&t, 1, 70), HV_STATUS_SUCCESS);
	CHECK_EQ(tp_irqs(&t, 1), 1);
	/* The guest clears it: the next signal interrupts again. */
	area[70 / 8] = 0;
	CHECK_EQ(signal_ev(&t, 1, 70), HV_STATUS_SUCCESS);
	CHECK_EQ(tp_irqs(&t, 1), 2);
	/* Another flag in the same word is newly set too. */
	CHECK_EQ(signal_ev(&t, 1, 71), HV_STATUS_SUCCESS);
	CHECK_EQ(tp_irqs(&t, 1), 3);
	CHECK_EQ(tp_irqs(&t, 0), 0);
	CHECK_EQ(t.ram[TP_SIEFP(0) + HVSIM_ECHO_SINT * 256 + 70 / 8], 0);
	CHECK_EQ(stat_get(&t.p.stats, STAT_EVENTS_SIGNALED), 4);
	CHECK_EQ(stat_get(&t.p.stats, STAT_INTERRUPTS), 3);
	tp_destroy(&t);
}

static void svc_event_synic_state(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(signal_ev(&t, 0, 1), HV_STATUS_INVALID_SYNIC_STATE);
	tp_synic_on(&t, 0);
	reg_set(&t.p, 0, HV_REG_SIEFP, TP_SIEFP(0), 0);
	CHECK_EQ(signal_ev(&t, 0, 1), HV_STATUS_INVALID_SYNIC_STATE);
	reg_set(&t.p, 0, HV_REG_SIEFP, TP_SIEFP(0) | 1, 0);
	reg_set(&t.p, 0, HV_REG_SINT(HVSIM_ECHO_SINT), HV_SINT_MASKED, 0);
	CHECK_EQ(signal_ev(&t, 0, 1), HV_STATUS_INVALID_SYNIC_STATE);
	reg_set(&t.p, 0, HV_REG_SINT(HVSIM_ECHO_SINT), TP_VECTOR, 0);
	/* The SIMP is not needed for events. */
	reg_set(&t.p, 0, HV_REG_SIMP, 0, 0);
	CHECK_EQ(signal_ev(&t, 0, 1), HV_STATUS_SUCCESS);
	CHECK_EQ(signal_ev(&t, 0, 2048), HV_STATUS_INVALID_PARAMETER);
	tp_destroy(&t);
}

static unsigned int custom_calls;

static uint16_t custom_post(struct partition *p, void *ctx, unsigned int vp, uint32_t type,
			    const uint8_t *payload, uint32_t size)
{
	(void)p;
	(void)vp;
	(void)payload;
	custom_calls += *(unsigned int *)ctx + type + size;
	return HV_STATUS_INSUFFICIENT_MEMORY;
}

static void svc_connection_table(void)
{
	static unsigned int ctx = 100;
	struct conn_handler h = { .id = 1, .post = custom_post, .ctx = &ctx };
	struct conn_handler none = { .id = 9 };
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(tp_post(&t, 0, 1, 1, "abc", 3), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(conn_register(&t.p, &h), 0);
	CHECK_EQ(conn_register(&t.p, &h), (uint64_t)-EEXIST);
	CHECK_EQ(conn_register(&t.p, &none), (uint64_t)-EINVAL);
	h.id = 4;
	CHECK_EQ(conn_register(&t.p, &h), 0);
	custom_calls = 0;
	CHECK_EQ(tp_post(&t, 0, 1, 1, "abc", 3), HV_STATUS_INSUFFICIENT_MEMORY);
	CHECK_EQ(custom_calls, 104);
	CHECK_EQ(tp_post(&t, 0, 4, 1, "abc", 3), HV_STATUS_INSUFFICIENT_MEMORY);
	CHECK_EQ(conn_unregister(&t.p, 1), 0);
	CHECK_EQ(conn_unregister(&t.p, 1), (uint64_t)-ENOENT);
	CHECK_EQ(tp_post(&t, 0, 1, 1, "abc", 3), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(tp_post(&t, 0, 4, 1, "abc", 3), HV_STATUS_INSUFFICIENT_MEMORY);
	tp_destroy(&t);
}

static void svc_table_full(void)
{
	struct conn_handler h = { .post = custom_post };
	unsigned int i, ok = 0;
	struct tp t;

	tp_init(&t, 1);		/* echo and event are registered already */
	for (i = 0; i < CONN_MAX; i++) {
		h.id = 100 + i;
		if (!conn_register(&t.p, &h))
			ok++;
	}
	CHECK_EQ(ok, CONN_MAX - 2);
	h.id = 5000;
	CHECK_EQ(conn_register(&t.p, &h), (uint64_t)-ENOSPC);
	tp_destroy(&t);
}

static uint32_t range_last_id;

static uint16_t range_signal(struct partition *p, void *ctx, unsigned int vp, uint32_t id,
			     unsigned int flag)
{
	(void)p;
	(void)ctx;
	(void)vp;
	range_last_id = id + flag;
	return HV_STATUS_SUCCESS;
}

static uint16_t signal_conn(struct tp *t, uint32_t conn)
{
	uint64_t r = hypercall_exec(&t->p, 0, 0, hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0),
				    hv_signal_event_fast_input(conn, 0), 0, false);

	return hv_hc_result_status(r);
}

/* One registration for a range of ids; handlers see the id used. */
static void svc_connection_range(void)
{
	struct conn_handler h = { .id = 0x3000, .nr_ids = 4, .signal = range_signal };
	struct conn_handler x = { .signal = range_signal };
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(conn_register(&t.p, &h), 0);
	CHECK_EQ(signal_conn(&t, 0x3002), HV_STATUS_SUCCESS);
	CHECK_EQ(range_last_id, 0x3002);
	CHECK_EQ(signal_conn(&t, 0x3003), HV_STATUS_SUCCESS);
	CHECK_EQ(range_last_id, 0x3003);
	CHECK_EQ(signal_conn(&t, 0x3004), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(signal_conn(&t, 0x2fff), HV_STATUS_INVALID_CONNECTION_ID);
	x.id = 0x3003;
	CHECK_EQ(conn_register(&t.p, &x), (uint64_t)-EEXIST);	/* inside */
	x.id = 0x2fff;
	x.nr_ids = 2;
	CHECK_EQ(conn_register(&t.p, &x), (uint64_t)-EEXIST);	/* overlaps the start */
	x.nr_ids = 1;
	CHECK_EQ(conn_register(&t.p, &x), 0);			/* just below */
	x.id = 0xffffffff;
	x.nr_ids = 2;
	CHECK_EQ(conn_register(&t.p, &x), (uint64_t)-EINVAL);	/* wraps */
	CHECK_EQ(conn_unregister(&t.p, 0x3001), 0);		/* the whole range */
	CHECK_EQ(signal_conn(&t, 0x3000), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(signal_conn(&t, 0x2fff), HV_STATUS_SUCCESS);
	tp_destroy(&t);
}

const struct unit_test services_tests[] = {
	{ "svc_echo_reply_on_sender_vp_only", svc_echo_to_sender_only },
	{ "svc_echo_invalid_synic_state", svc_echo_synic_state },
	{ "svc_event_newly_set_interrupts", svc_event_newly_set },
	{ "svc_event_invalid_synic_state", svc_event_synic_state },
	{ "svc_connection_table_routing", svc_connection_table },
	{ "svc_connection_table_full", svc_table_full },
	{ "svc_connection_range", svc_connection_range },
	{ NULL, NULL },
};
