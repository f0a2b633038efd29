// SPDX-License-Identifier: GPL-2.0
/*
 * Event round trips: HvCallSignalEvent to HVSIM_EVENT_CONNECTION_ID with
 * flag f, hvhost sets flag f in SINT HVSIM_ECHO_SINT's event-flags area of
 * the signalling VP and raises the SINT, hv_common hands the flags to
 * hct_events_on_flags() on the CPU the interrupt arrived at.  Flags cycle
 * through 1..2047; one wait at a time, one CPU after another.
 *
 * Read format, one line per online CPU:
 *   cpu=<c> signaled=<n> received=<n> wrong_cpu=<n> timeouts=<n> errors=<n>
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <hyperv/hvsim.h>

#include "test.h"

struct hct_events_result {
	u32 signaled;
	u32 received;
	u32 wrong_cpu;
	u32 timeouts;
	u32 errors;
};

/* Per CPU results of the last run, nr_cpu_ids entries.  Must hold hct_lock. */
static struct hct_events_result *hct_events_results;

/* The awaited flag.  Protected by ev_wait_lock (taken in hard irq context). */
static DEFINE_SPINLOCK(ev_wait_lock);
static struct {
	u16 flag;		/* awaited flag, 0 = none */
	bool seen;
	unsigned int arrival_cpu;
	struct completion done;
} ev_wait;

void hct_events_on_flags(const unsigned long *flags)
{
	spin_lock(&ev_wait_lock);
	if (ev_wait.flag && test_bit(ev_wait.flag, flags)) {
		ev_wait.seen = true;
		ev_wait.arrival_cpu = smp_processor_id();
		ev_wait.flag = 0;
		complete(&ev_wait.done);
	}
	spin_unlock(&ev_wait_lock);
}

struct hct_events_job {
	unsigned int cpu;
	unsigned int count;
	struct hct_events_result *res;
};

/* Worker bound to job->cpu; sleeps. */
static long hct_events_cpu(void *arg)
{
	struct hct_events_job *job = arg;
	struct hct_events_result *res = job->res;
	unsigned int i, arrival;
	bool seen;
	u16 flag, status;
	int ret;

	for (i = 0; i < job->count; i++) {
		flag = 1 + i % (HV_EVENT_FLAGS_COUNT - 1);

		spin_lock_irq(&ev_wait_lock);
		ev_wait.flag = flag;
		ev_wait.seen = false;
		reinit_completion(&ev_wait.done);
		spin_unlock_irq(&ev_wait_lock);

		ret = hvcore_signal_event(HVSIM_EVENT_CONNECTION_ID, flag, &status);
		if (!ret) {
			res->signaled++;
			wait_for_completion_timeout(&ev_wait.done, HCT_WAIT);
		}

		spin_lock_irq(&ev_wait_lock);
		ev_wait.flag = 0;
		seen = ev_wait.seen;
		arrival = ev_wait.arrival_cpu;
		spin_unlock_irq(&ev_wait_lock);

		if (ret) {
			res->errors++;
		} else if (!seen) {
			res->timeouts++;
		} else {
			res->received++;
			if (arrival != job->cpu)
				res->wrong_cpu++;
		}
	}
	return 0;
}

/* Must hold hct_lock.  Process context. */
int hct_events_run(unsigned int count)
{
	struct hct_events_job job = { .count = count };
	unsigned int cpu;

	lockdep_assert_held(&hct_lock);
	memset(hct_events_results, 0, nr_cpu_ids * sizeof(*hct_events_results));
	for_each_online_cpu(cpu) {
		job.cpu = cpu;
		job.res = &hct_events_results[cpu];
		if (work_on_cpu_safe(cpu, hct_events_cpu, &job))
			job.res->errors = count;	/* went offline meanwhile */
	}
	return 0;
}

/* Must hold hct_lock. */
void hct_events_show(struct seq_file *m)
{
	unsigned int cpu;

	lockdep_assert_held(&hct_lock);
	for_each_online_cpu(cpu) {
		const struct hct_events_result *r = &hct_events_results[cpu];

		seq_printf(m, "cpu=%u signaled=%u received=%u wrong_cpu=%u timeouts=%u errors=%u\n",
			   cpu, r->signaled, r->received, r->wrong_cpu,
			   r->timeouts, r->errors);
	}
}

int hct_events_init(void)
{
	hct_events_results = kcalloc(nr_cpu_ids, sizeof(*hct_events_results),
				     GFP_KERNEL);
	if (!hct_events_results)
		return -ENOMEM;
	init_completion(&ev_wait.done);
	return 0;
}

void hct_events_uninit(void)
{
	kfree(hct_events_results);
	hct_events_results = NULL;
}
