// SPDX-License-Identifier: GPL-2.0
/*
 * Register semantics: read-only registers, reserved bits, reset values,
 * page registers, the reference clock, reset.
 */
#include <string.h>

#include "hyperv/hvsim.h"
#include "../regs.h"
#include "../synic.h"
#include "unit.h"

static uint64_t rd(struct tp *t, unsigned int vp, uint32_t name)
{
	uint64_t v = 0xdeadbeef;

	if (reg_get(&t->p, vp, name, &v, 0) != HVSIM_ST_OK)
		return 0xbad0bad0bad0ULL;
	return v;
}

static int wr(struct tp *t, unsigned int vp, uint32_t name, uint64_t v)
{
	return reg_set(&t->p, vp, name, v, 0);
}

static void regs_read_only(void)
{
	struct tp t;

	tp_init(&t, 3);
	CHECK_EQ(rd(&t, 0, HV_REG_VP_INDEX), 0);
	CHECK_EQ(rd(&t, 2, HV_REG_VP_INDEX), 2);
	CHECK_EQ(wr(&t, 1, HV_REG_VP_INDEX, 5), HVSIM_ST_BAD_REG);
	CHECK_EQ(rd(&t, 1, HV_REG_SVERSION), 1);
	CHECK_EQ(wr(&t, 1, HV_REG_SVERSION, 1), HVSIM_ST_BAD_REG);
	CHECK_EQ(wr(&t, 0, HV_REG_TIME_REF_COUNT, 0), HVSIM_ST_BAD_REG);
	CHECK_EQ(rd(&t, 0, HV_REG_EOM), 0);
	tp_destroy(&t);
}

static void regs_unknown(void)
{
	uint64_t v;
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(reg_get(&t.p, 0, 0x12345678, &v, 0), HVSIM_ST_BAD_REG);
	CHECK_EQ(wr(&t, 0, 0x12345678, 1), HVSIM_ST_BAD_REG);
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_STIMER0_CONFIG, &v, 0), HVSIM_ST_BAD_REG);
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_VP_ASSIST_PAGE, &v, 0), HVSIM_ST_BAD_REG);
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_SINT0 + 0x15, &v, 0), HVSIM_ST_BAD_REG);	/* SIRBP */
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_SINT0 + 0x1f, &v, 0), HVSIM_ST_BAD_REG);
	CHECK_EQ(reg_get(&t.p, 0, HV_REG_SINT0 - 1, &v, 0), HVSIM_ST_BAD_REG);
	/* A VP that does not exist. */
	CHECK_EQ(reg_get(&t.p, 1, HV_REG_VP_INDEX, &v, 0), HVSIM_ST_BAD_REG);
	tp_destroy(&t);
}

static void regs_reset_values(void)
{
	unsigned int i;
	struct tp t;

	tp_init(&t, 2);
	for (i = 0; i < HV_SINT_COUNT; i++)
		CHECK_EQ(rd(&t, 1, HV_REG_SINT(i)), HV_SINT_MASKED);
	CHECK_EQ(rd(&t, 1, HV_REG_SCONTROL), 0);
	CHECK_EQ(rd(&t, 1, HV_REG_SIMP), 0);
	CHECK_EQ(rd(&t, 1, HV_REG_SIEFP), 0);
	CHECK_EQ(rd(&t, 0, HV_REG_GUEST_OS_ID), 0);
	CHECK_EQ(rd(&t, 0, HV_REG_REFERENCE_TSC), 0);
	tp_destroy(&t);
}

static void regs_sint_validation(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(2), 0x0f), HVSIM_ST_BAD_VALUE);	/* vector < 16 */
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(2), HV_SINT_MASKED | 0x05), HVSIM_ST_OK);
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(2), 0x100 | 0x40), HVSIM_ST_BAD_VALUE);	/* 15:8 */
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(2), (1ULL << 19) | 0x40), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(2), (1ULL << 40) | 0x40), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(rd(&t, 0, HV_REG_SINT(2)), HV_SINT_MASKED | 0x05);
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(2), HV_SINT_AUTO_EOI | 0xf3), HVSIM_ST_OK);
	CHECK_EQ(rd(&t, 0, HV_REG_SINT(2)), HV_SINT_AUTO_EOI | 0xf3);
	CHECK_EQ(wr(&t, 0, HV_REG_SINT(15), HV_SINT_POLLING | 0x10), HVSIM_ST_OK);
	tp_destroy(&t);
}

static void regs_page_registers(void)
{
	struct tp t;

	tp_init(&t, 1);
	memset(t.ram + 0x3000, 0x5a, 0x2000);
	CHECK_EQ(wr(&t, 0, HV_REG_SIMP, 0x3000 | 1 | 2), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(wr(&t, 0, HV_REG_SIMP, 0x3000 | 1 | 0x800), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(t.ram[0x3000], 0x5a);				/* refused: untouched */
	CHECK_EQ(wr(&t, 0, HV_REG_SIMP, TP_RAM_SIZE | 1), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(wr(&t, 0, HV_REG_SIMP, 0xfffffffffffff001ULL), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(rd(&t, 0, HV_REG_SIMP), 0);
	CHECK_EQ(wr(&t, 0, HV_REG_SIMP, 0x3000 | 1), HVSIM_ST_OK);
	CHECK_EQ(t.ram[0x3000], 0);				/* enabled: zeroed */
	CHECK_EQ(t.ram[0x3fff], 0);
	CHECK_EQ(t.ram[0x4000], 0x5a);
	CHECK_EQ(rd(&t, 0, HV_REG_SIMP), 0x3001);
	CHECK_EQ(wr(&t, 0, HV_REG_SIEFP, 0x4000 | 1), HVSIM_ST_OK);
	CHECK_EQ(t.ram[0x4abc], 0);
	/* Disabling keeps the GPN and does not touch memory; any GPN may be disabled. */
	t.ram[0x4000] = 7;
	CHECK_EQ(wr(&t, 0, HV_REG_SIEFP, 0x4000), HVSIM_ST_OK);
	CHECK_EQ(t.ram[0x4000], 7);
	CHECK_EQ(wr(&t, 0, HV_REG_SIEFP, 0x7ffff000ULL), HVSIM_ST_OK);
	CHECK_EQ(wr(&t, 0, HV_REG_SIMP, TP_RAM_SIZE - 0x1000 + 1), HVSIM_ST_OK);
	tp_destroy(&t);
}

static void regs_guest_os_id_partition_wide(void)
{
	struct tp t;

	tp_init(&t, 2);
	CHECK_EQ(wr(&t, 0, HV_REG_GUEST_OS_ID, 0x8100000601000000ULL), HVSIM_ST_OK);
	CHECK_EQ(rd(&t, 1, HV_REG_GUEST_OS_ID), 0x8100000601000000ULL);
	CHECK_EQ(stat_get(&t.p.stats, STAT_REG_WRITES), 1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_REG_READS), 1);
	tp_destroy(&t);
}

static void regs_time_ref_count(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(rd(&t, 0, HV_REG_TIME_REF_COUNT), 0);
	t.now_ns += 1234567;
	CHECK_EQ(rd(&t, 0, HV_REG_TIME_REF_COUNT), 12345);
	t.now_ns += 3000000000ULL;
	CHECK_EQ(rd(&t, 0, HV_REG_TIME_REF_COUNT), 30012345);
	tp_destroy(&t);
}

static void regs_scontrol_counts(void)
{
	struct tp t;

	tp_init(&t, 2);
	CHECK_EQ(wr(&t, 1, HV_REG_SCONTROL, 1), HVSIM_ST_OK);
	CHECK_EQ(wr(&t, 1, HV_REG_SCONTROL, 1), HVSIM_ST_OK);
	CHECK_EQ(wr(&t, 1, HV_REG_SCONTROL, 0), HVSIM_ST_OK);
	CHECK_EQ(wr(&t, 1, HV_REG_SCONTROL, 3), HVSIM_ST_OK);
	CHECK_EQ(rd(&t, 1, HV_REG_SCONTROL), 3);		/* 63:1 preserved */
	CHECK_EQ(t.p.vp[1].synic_enables, 2);
	CHECK_EQ(t.p.vp[1].synic_disables, 1);
	CHECK_EQ(t.p.vp[0].synic_enables, 0);
	tp_destroy(&t);
}

static void regs_reset_register(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(wr(&t, 0, HV_REG_X64_RESET, 0), HVSIM_ST_OK);
	CHECK_EQ(t.resets, 0);
	CHECK_EQ(wr(&t, 0, HV_REG_X64_RESET, 1), HVSIM_ST_OK);
	CHECK_EQ(t.resets, 1);
	CHECK_EQ(rd(&t, 0, HV_REG_X64_RESET), 0);
	tp_destroy(&t);
}

static void regs_hypercall_msr(void)
{
	struct tp t;

	tp_init(&t, 1);
	CHECK_EQ(wr(&t, 0, HV_REG_X64_HYPERCALL, 0x5000 | 1), HVSIM_ST_OK);
	CHECK_EQ(rd(&t, 0, HV_REG_X64_HYPERCALL), 0x5001);
	CHECK_EQ(wr(&t, 0, HV_REG_X64_HYPERCALL, 0x5000 | 4), HVSIM_ST_BAD_VALUE);
	CHECK_EQ(wr(&t, 0, HV_REG_X64_HYPERCALL, 0x5000 | 3), HVSIM_ST_OK);
	CHECK_EQ(wr(&t, 0, HV_REG_X64_HYPERCALL, 0), HVSIM_ST_BAD_VALUE);	/* locked */
	tp_destroy(&t);
}

static void regs_crash_params(void)
{
	unsigned int i;
	struct tp t;

	tp_init(&t, 2);
	CHECK_EQ(rd(&t, 0, HV_REG_GUEST_CRASH_CTL),
		 HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE | HV_CRASH_CTL_NO_DUMP);
	for (i = 0; i < HV_CRASH_PARAMS; i++)
		CHECK_EQ(wr(&t, 0, HV_REG_CRASH_P(i), 0x1000 + i), HVSIM_ST_OK);
	for (i = 0; i < HV_CRASH_PARAMS; i++)
		CHECK_EQ(rd(&t, 1, HV_REG_CRASH_P(i)), 0x1000 + i);
	CHECK_EQ(wr(&t, 0, HV_REG_GUEST_CRASH_CTL, HV_CRASH_CTL_NO_DUMP), HVSIM_ST_OK);
	CHECK_EQ(t.crashes, 0);
	CHECK_EQ(rd(&t, 0, HV_REG_GUEST_CRASH_CTL),
		 HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE | HV_CRASH_CTL_NO_DUMP);
	tp_destroy(&t);
}

const struct unit_test regs_tests[] = {
	{ "regs_read_only", regs_read_only },
	{ "regs_unknown_register", regs_unknown },
	{ "regs_reset_values", regs_reset_values },
	{ "regs_sint_validation", regs_sint_validation },
	{ "regs_simp_siefp_pages", regs_page_registers },
	{ "regs_guest_os_id_partition_wide", regs_guest_os_id_partition_wide },
	{ "regs_time_ref_count", regs_time_ref_count },
	{ "regs_scontrol_transitions", regs_scontrol_counts },
	{ "regs_reset_register", regs_reset_register },
	{ "regs_hypercall_msr", regs_hypercall_msr },
	{ "regs_crash_params", regs_crash_params },
	{ NULL, NULL },
};
