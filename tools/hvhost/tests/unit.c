// SPDX-License-Identifier: GPL-2.0
/*
 * The KTAP harness and the test partition.
 */
#include <endian.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hypercall.h"
#include "../log.h"
#include "../regs.h"
#include "../services.h"
#include "../util.h"
#include "unit.h"

unsigned long unit_checks;
static int cur_failed;
static jmp_buf cur_env;

void unit_fail(const char *file, int line, const char *what, uint64_t a, uint64_t b,
	       bool show_values)
{
	cur_failed = 1;
	if (show_values)
		printf("# %s:%d: %s failed (0x%llx != 0x%llx)\n", file, line, what,
		       (unsigned long long)a, (unsigned long long)b);
	else
		printf("# %s:%d: %s failed\n", file, line, what);
	longjmp(cur_env, 1);
}

static const struct unit_test *const suites[] = {
	guestmem_tests, hypercall_tests, regs_tests, synic_tests, services_tests,
	crash_tests, reftime_tests, ctl_tests, mailbox_tests, ivshmem_tests,
	hvh_srv_tests, hvh_gpadl_tests, hvh_ring_tests, hvh_chan_tests, hvh_echo_tests,
	hvh_hostile_tests, hvh_sub_tests, hvh_mnf_tests, hvh_config_tests, scsi_tests,
	storvsp_tests,
};

static void run_one(const struct unit_test *t)
{
	cur_failed = 0;
	if (!setjmp(cur_env))
		t->fn();
}

int main(void)
{
	unsigned int s, nr = 0, n = 0, failed = 0;
	const struct unit_test *t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	hv_log_level(-1);
	for (s = 0; s < ARRAY_SIZE(suites); s++)
		for (t = suites[s]; t->name; t++)
			nr++;
	printf("KTAP version 1\n1..%u\n", nr);
	for (s = 0; s < ARRAY_SIZE(suites); s++) {
		for (t = suites[s]; t->name; t++) {
			run_one(t);
			n++;
			printf("%sok %u %s\n", cur_failed ? "not " : "", n, t->name);
			failed += cur_failed;
		}
	}
	printf("# hvhost unit: %lu checks evaluated\n",
	       __atomic_load_n(&unit_checks, __ATOMIC_RELAXED));
	printf("# hvhost unit: %u passed, %u failed\n", nr - failed, failed);
	return failed ? 1 : 0;
}

static void tp_raise(void *ctx, unsigned int vp)
{
	struct tp *t = ctx;

	__atomic_fetch_add(&t->irqs[vp], 1, __ATOMIC_SEQ_CST);
}

static void tp_event(void *ctx, enum vm_event ev)
{
	struct tp *t = ctx;

	if (ev == VM_EVENT_RESET)
		t->resets++;
	else
		t->crashes++;
}

static uint64_t tp_clock(void *ctx)
{
	struct tp *t = ctx;

	return t->now_ns;
}

static uint64_t tp_host_tsc(void *ctx)
{
	struct tp *t = ctx;

	return t->host_tsc;
}

void tp_init(struct tp *t, unsigned int nr_vps)
{
	struct partition_ops ops = {
		.raise_irq = tp_raise,
		.vm_event = tp_event,
		.clock_ns = tp_clock,
		.host_tsc = tp_host_tsc,
		.ctx = t,
	};

	memset(t, 0, sizeof(*t));
	t->now_ns = 1000000000ULL;
	t->host_tsc = 5000000000000ULL;
	t->ram = calloc(1, TP_RAM_SIZE);
	if (!t->ram || partition_init(&t->p, t->ram, TP_RAM_SIZE, nr_vps, &ops) ||
	    services_register_test(&t->p)) {
		fprintf(stderr, "tp_init failed\n");
		exit(2);
	}
}

void tp_destroy(struct tp *t)
{
	partition_destroy(&t->p);
	free(t->ram);
}

void tp_synic_on(struct tp *t, unsigned int vp)
{
	reg_set(&t->p, vp, HV_REG_SIMP, TP_SIMP(vp) | 1, 0);
	reg_set(&t->p, vp, HV_REG_SIEFP, TP_SIEFP(vp) | 1, 0);
	reg_set(&t->p, vp, HV_REG_SINT(2), TP_VECTOR, 0);
	reg_set(&t->p, vp, HV_REG_SINT(5), TP_VECTOR, 0);
	reg_set(&t->p, vp, HV_REG_SCONTROL, 1, 0);
}

struct hv_message *tp_slot(struct tp *t, unsigned int vp, unsigned int sint)
{
	return (struct hv_message *)(t->ram + TP_SIMP(vp)) + sint;
}

unsigned int tp_irqs(struct tp *t, unsigned int vp)
{
	return __atomic_load_n(&t->irqs[vp], __ATOMIC_SEQ_CST);
}

bool tp_consume(struct tp *t, unsigned int vp, unsigned int sint, struct hv_message *copy)
{
	struct hv_message *slot = tp_slot(t, vp, sint);
	uint32_t type = __atomic_load_n(&slot->header.message_type, __ATOMIC_ACQUIRE);
	bool pending;

	memcpy(copy, slot, sizeof(*copy));
	if (type == HVMSG_NONE)
		return false;
	__atomic_compare_exchange_n(&slot->header.message_type, &type, HVMSG_NONE, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pending = __atomic_load_n(&slot->header.message_flags, __ATOMIC_SEQ_CST) &
		  HV_MESSAGE_FLAG_PENDING;
	if (pending)
		reg_set(&t->p, vp, HV_REG_EOM, 0, 0);
	return pending;
}

uint16_t tp_post(struct tp *t, unsigned int vp, uint32_t conn, uint32_t type,
		 const void *payload, uint32_t size)
{
	struct hv_input_post_message *in = (void *)(t->ram + TP_INPUT);
	uint64_t r;

	memset(in, 0, sizeof(*in));
	in->connection_id = htole32(conn);
	in->message_type = htole32(type);
	in->payload_size = htole32(size);
	if (size && size <= HV_MESSAGE_PAYLOAD_MAX)	/* larger: only the header matters */
		memcpy(in->payload, payload, size);
	r = hypercall_exec(&t->p, vp, 0, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0),
			   TP_INPUT, 0, false);
	return hv_hc_result_status(r);
}
