// SPDX-License-Identifier: GPL-2.0
/*
 * Reference time: the TSC page math, the page writer, calibration.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "../reftime.h"
#include "../regs.h"
#include "unit.h"

static void reftsc_scale_math(void)
{
	uint64_t scale;

	/* 1 GHz: one tick is 1/100 of a 100 ns unit, 2^64 / 100. */
	scale = reftsc_scale(1000000000ULL);
	CHECK_EQ(scale, 184467440737095516ULL);
	CHECK_EQ(reftsc_eval(1000000000ULL, scale, 0), HV_REF_TIME_HZ - 1);	/* floor */
	/* 10 MHz and below does not fit: unusable. */
	CHECK_EQ(reftsc_scale(HV_REF_TIME_HZ), 0);
	CHECK_EQ(reftsc_scale(0), 0);
	/* 2.5 GHz for a day of ticks stays within one unit. */
	scale = reftsc_scale(2500000000ULL);
	CHECK(86400ULL * HV_REF_TIME_HZ - reftsc_eval(2500000000ULL * 86400, scale, 0) <= 1);
}

static void reftsc_offset_math(void)
{
	uint64_t scale = reftsc_scale(3000000000ULL), tsc = 0x123456789abcULL, later;
	int64_t off;

	/* The offset makes the guest's formula give reftime at that TSC. */
	off = reftsc_offset(5000000, tsc, scale);
	CHECK_EQ(reftsc_eval(tsc, scale, off), 5000000);
	/* One second of ticks later: one second of reference time later. */
	later = reftsc_eval(tsc + 3000000000ULL, scale, off);
	CHECK(later >= 5000000 + HV_REF_TIME_HZ - 1 && later <= 5000000 + HV_REF_TIME_HZ + 1);
	/* A guest TSC far ahead of reference time gives a negative offset. */
	off = reftsc_offset(10, 3000000000ULL * 1000, scale);
	CHECK(off < 0);
	CHECK_EQ(reftsc_eval(3000000000ULL * 1000, scale, off), 10);
}

static void reftsc_page_write(void)
{
	struct hv_ref_tsc_page *pg;
	uint32_t seq1, seq2;
	uint64_t tsc = 77777777777ULL, v;
	struct tp t;

	tp_init(&t, 1);
	t.p.tsc_hz = 2000000000ULL;
	pg = (void *)(t.ram + 0x6000);
	memset(pg, 0xcc, sizeof(*pg));
	t.now_ns += 5000000000ULL;	/* reference time 5 s */
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000 | 1, tsc), HVSIM_ST_OK);
	seq1 = le32toh(pg->tsc_sequence);
	CHECK(seq1 != 0 && seq1 != UINT32_MAX);
	CHECK_EQ(le64toh(pg->tsc_scale), reftsc_scale(2000000000ULL));
	CHECK_EQ(reftsc_eval(tsc, le64toh(pg->tsc_scale), (int64_t)le64toh(pg->tsc_offset)),
		 50000000);
	CHECK_EQ(pg->reserved1, 0);
	CHECK_EQ(pg->reserved2[100], 0);
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000 | 1, tsc), HVSIM_ST_OK);
	seq2 = le32toh(pg->tsc_sequence);
	CHECK(seq2 != seq1 && seq2 != 0);
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_REFERENCE_TSC, &v, 0), HVSIM_ST_OK);
	CHECK_EQ(v, 0x6001);
	/* Sequence numbers skip 0 and 0xffffffff when they wrap. */
	t.p.ref_tsc_seq = UINT32_MAX - 1;
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000 | 1, tsc), HVSIM_ST_OK);
	CHECK_EQ(le32toh(pg->tsc_sequence), 1);
	/* Unknown TSC rate: sequence 0, the guest falls back to TIME_REF_COUNT. */
	t.p.tsc_hz = 0;
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000 | 1, tsc), HVSIM_ST_OK);
	CHECK_EQ(pg->tsc_sequence, 0);
	tp_destroy(&t);
}

static void reftsc_register_validation(void)
{
	struct tp t;

	tp_init(&t, 1);
	t.p.tsc_hz = 2000000000ULL;
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000 | 1 | 0x10, 0), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, TP_RAM_SIZE | 1, 0), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0xfffffffffffff001ULL, 0),
		 HVSIM_ST_BAD_VALUE);
	/* Disabled: stored, memory untouched. */
	t.ram[0x6000] = 0x99;
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000, 0), HVSIM_ST_OK);
	CHECK_EQ(t.ram[0x6000], 0x99);
	tp_destroy(&t);
}

static void reftsc_best_sample(void)
{
	struct hv_ref_tsc_page *pg;
	struct tp t;

	tp_init(&t, 1);
	t.p.tsc_hz = 1000000000ULL;
	/* Three requests: latencies 500, 450 and 600 host ticks. */
	reftsc_sample(&t.p, 500, 1000);
	reftsc_sample(&t.p, 600, 1050);
	reftsc_sample(&t.p, 700, 1300);
	CHECK_EQ(t.p.tsc_delta, (uint64_t)-450);
	/* Enabled later: the guest TSC now is estimated from the best sample. */
	t.host_tsc = 2000;
	t.now_ns += 3000000000ULL;
	CHECK_EQ(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, 0x6000 | 1, 999999), HVSIM_ST_OK);
	pg = (void *)(t.ram + 0x6000);
	CHECK_EQ(reftsc_eval(2000 - 450, le64toh(pg->tsc_scale), (int64_t)le64toh(pg->tsc_offset)),
		 30000000);
	tp_destroy(&t);
}

static void reftime_at_request_time(void)
{
	const uint64_t h0 = 5000000000000ULL, g0 = 777000000ULL;
	uint64_t v;
	struct tp t;

	tp_init(&t, 1);
	t.p.tsc_hz = 1000000000ULL;			/* 1 tick = 1 ns */
	t.now_ns += 1000000000ULL;			/* reference time 1 s */
	t.host_tsc = h0;
	/* No estimate yet: the time of processing. */
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_TIME_REF_COUNT, &v, g0), HVSIM_ST_OK);
	CHECK_EQ(v, 10000000);
	reftsc_sample(&t.p, g0, h0);			/* picked up at once */
	/* A request made 1 ms later but served 4 ms after that. */
	t.host_tsc += 5000000;
	t.now_ns += 5000000;
	reftsc_sample(&t.p, g0 + 1000000, t.host_tsc);
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_TIME_REF_COUNT, &v, g0 + 1000000), HVSIM_ST_OK);
	CHECK_EQ(v, 10010000);
	/* Never backwards: an older request answered now gets the last value. */
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_TIME_REF_COUNT, &v, g0 + 500000), HVSIM_ST_OK);
	CHECK_EQ(v, 10010000);
	/* Without a guest TSC: the current time. */
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_TIME_REF_COUNT, &v, 0), HVSIM_ST_OK);
	CHECK_EQ(v, 10050000);
	tp_destroy(&t);
}

static void reftsc_calibration(void)
{
#if defined(__x86_64__)
	uint64_t hz = tsc_calibrate();

	printf("# host TSC %llu Hz\n", (unsigned long long)hz);
	CHECK(hz > 100000000ULL && hz < 10000000000ULL);
#endif
}

const struct unit_test reftime_tests[] = {
	{ "reftsc_scale_math", reftsc_scale_math },
	{ "reftsc_offset_math", reftsc_offset_math },
	{ "reftsc_page_write_sequence", reftsc_page_write },
	{ "reftsc_register_validation", reftsc_register_validation },
	{ "reftsc_best_latency_sample", reftsc_best_sample },
	{ "reftime_at_request_time", reftime_at_request_time },
	{ "reftsc_calibration", reftsc_calibration },
	{ NULL, NULL },
};
