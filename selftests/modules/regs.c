// SPDX-License-Identifier: GPL-2.0
/*
 * Synthetic registers of the current CPU, as key=value lines:
 *   cpu, vp_index, svers, guest_os_id (hex), time_ref_1, time_ref_2 (10 ms
 *   later), ref_time (hvcore_read_ref_time()), time_ref_3 (right after),
 *   bad_reg_errno, ro_write_errno, sint_reserved_errno.
 * A register that cannot be read prints "error<errno>" as its value.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/smp.h>

#include "test.h"

#define HCT_UNKNOWN_REG		0x12345678
#define HCT_SINT_UNCLAIMED	7
#define HCT_SINT_RESERVED_BIT	BIT_ULL(20)

static void hct_show_reg(struct seq_file *m, const char *key, u32 name, bool hex)
{
	u64 v;
	int ret;

	ret = hvcore_get_register(name, &v);
	if (ret)
		seq_printf(m, "%s=error%d\n", key, ret);
	else if (hex)
		seq_printf(m, "%s=0x%llx\n", key, v);
	else
		seq_printf(m, "%s=%llu\n", key, v);
}

/* Must hold hct_lock.  Process context; stays on one CPU throughout. */
void hct_regs_show(struct seq_file *m)
{
	u64 t1 = 0, t2 = 0, t3 = 0, rt, vp = 0;
	int e1, e2, e3;

	lockdep_assert_held(&hct_lock);
	migrate_disable();
	seq_printf(m, "cpu=%u\n", smp_processor_id());
	hct_show_reg(m, "vp_index", HV_REG_VP_INDEX, false);
	hct_show_reg(m, "svers", HV_REG_SVERSION, false);
	hct_show_reg(m, "guest_os_id", HV_REG_GUEST_OS_ID, true);

	e1 = hvcore_get_register(HV_REG_TIME_REF_COUNT, &t1);
	mdelay(10);
	e2 = hvcore_get_register(HV_REG_TIME_REF_COUNT, &t2);
	rt = hvcore_read_ref_time();
	e3 = hvcore_get_register(HV_REG_TIME_REF_COUNT, &t3);
	if (e1 || e2 || e3)
		seq_printf(m, "time_ref_errno=%d\n", e1 ? e1 : e2 ? e2 : e3);
	seq_printf(m, "time_ref_1=%llu\ntime_ref_2=%llu\nref_time=%llu\ntime_ref_3=%llu\n",
		   t1, t2, rt, t3);

	seq_printf(m, "bad_reg_errno=%d\n",
		   hvcore_get_register(HCT_UNKNOWN_REG, &vp));
	/* Write back the value it has: harmless should the host accept it. */
	if (hvcore_get_register(HV_REG_VP_INDEX, &vp))
		vp = smp_processor_id();
	seq_printf(m, "ro_write_errno=%d\n",
		   hvcore_set_register(HV_REG_VP_INDEX, vp));
	/* SINT 7 is nobody's: a refused write changes nothing. */
	seq_printf(m, "sint_reserved_errno=%d\n",
		   hvcore_set_register(HV_REG_SINT(HCT_SINT_UNCLAIMED),
				       HV_SINT_MASKED | HCT_SINT_RESERVED_BIT));
	migrate_enable();
}
