// SPDX-License-Identifier: GPL-2.0
/*
 * Echo round trips: HvCallPostMessage to HVSIM_ECHO_CONNECTION_ID, hvhost
 * queues the same message back to SINT HVSIM_ECHO_SINT of the sending VP,
 * hv_common hands it to hct_echo_on_message() on the CPU it arrived at.
 *
 * One trip is in flight at a time, one CPU after another: each CPU's
 * trips run in a worker bound to it (work_on_cpu_safe()).
 *
 * Read format, one line per online CPU:
 *   cpu=<c> vp=<v> sent=<n> received=<n> wrong_cpu=<n> bad_payload=<n>
 *   timeouts=<n> errors=<n> p50_ns=<n> p99_ns=<n> max_ns=<n>
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <hyperv/hvsim.h>

#include "test.h"

#define HCT_ECHO_MAGIC	0x6f686365	/* "echo" */

/* What we post and expect back, byte for byte. */
struct hct_echo_payload {
	__le32 magic;		/* HCT_ECHO_MAGIC */
	__le32 cpu;		/* sending CPU */
	__le64 seq;		/* trip number, never 0 */
	__le64 send_ns;		/* ktime_get_ns() before the post */
};

struct hct_echo_result {
	u32 sent;
	u32 received;
	u32 wrong_cpu;
	u32 bad_payload;
	u32 timeouts;
	u32 errors;
	u64 p50_ns;
	u64 p99_ns;
	u64 max_ns;
};

/* Per CPU results of the last run, nr_cpu_ids entries.  Must hold hct_lock. */
static struct hct_echo_result *hct_echo_results;

enum hct_trip_state { HCT_TRIP_WAITING, HCT_TRIP_GOOD, HCT_TRIP_BAD };

/*
 * The trip in flight.  All fields are protected by trip_lock (taken in
 * hard interrupt context by the callback).
 */
static DEFINE_SPINLOCK(trip_lock);
static struct {
	u64 last_seq;		/* the last trip number handed out */
	u64 seq;		/* trip in flight, 0 = none */
	unsigned int cpu;
	u64 send_ns;
	enum hct_trip_state state;
	u64 latency_ns;
	unsigned int arrival_cpu;
	u32 stray_bad;		/* malformed replies not matching a trip */
	struct completion done;
} trip;

void hct_echo_on_message(const struct hv_message *msg)
{
	struct hct_echo_payload p;
	u64 now = ktime_get_ns();
	u64 seq;

	spin_lock(&trip_lock);
	if (msg->header.payload_size != sizeof(p)) {
		trip.stray_bad++;
		goto out;
	}
	memcpy(&p, msg->payload, sizeof(p));
	seq = le64_to_cpu(p.seq);
	if (le32_to_cpu(p.magic) != HCT_ECHO_MAGIC || !seq || seq > trip.last_seq) {
		trip.stray_bad++;
		goto out;
	}
	if (seq != trip.seq)
		goto out;	/* late answer to a trip that timed out */
	if (le32_to_cpu(p.cpu) != trip.cpu || le64_to_cpu(p.send_ns) != trip.send_ns)
		trip.state = HCT_TRIP_BAD;
	else
		trip.state = HCT_TRIP_GOOD;
	trip.latency_ns = now - trip.send_ns;
	trip.arrival_cpu = smp_processor_id();
	trip.seq = 0;
	complete(&trip.done);
out:
	spin_unlock(&trip_lock);
}

struct hct_echo_job {
	unsigned int cpu;
	unsigned int count;
	u64 *lat;			/* count entries */
	struct hct_echo_result *res;
};

static int hct_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of @n sorted values. */
static u64 hct_percentile(const u64 *v, unsigned int n, unsigned int pct)
{
	unsigned int rank;

	if (!n)
		return 0;
	rank = DIV_ROUND_UP(n * pct, 100);
	return v[rank ? rank - 1 : 0];
}

/* One trip.  Worker bound to job->cpu; sleeps. */
static void hct_echo_trip(struct hct_echo_job *job, unsigned int *nlat)
{
	struct hct_echo_result *res = job->res;
	struct hct_echo_payload p;
	enum hct_trip_state state;
	unsigned int arrival;
	int ret;
	u64 latency;
	u16 status;

	spin_lock_irq(&trip_lock);
	trip.seq = ++trip.last_seq;
	trip.cpu = job->cpu;
	trip.state = HCT_TRIP_WAITING;
	trip.send_ns = ktime_get_ns();
	reinit_completion(&trip.done);
	p.magic = cpu_to_le32(HCT_ECHO_MAGIC);
	p.cpu = cpu_to_le32(job->cpu);
	p.seq = cpu_to_le64(trip.seq);
	p.send_ns = cpu_to_le64(trip.send_ns);
	spin_unlock_irq(&trip_lock);

	ret = hvcore_post_message(HVSIM_ECHO_CONNECTION_ID, HCT_ECHO_TYPE,
				  &p, sizeof(p), &status);
	if (ret)
		res->errors++;
	else
		res->sent++;
	if (!ret)
		wait_for_completion_timeout(&trip.done, HCT_WAIT);

	/* Whatever happened, the trip ends here: later answers are stale. */
	spin_lock_irq(&trip_lock);
	trip.seq = 0;
	state = trip.state;
	latency = trip.latency_ns;
	arrival = trip.arrival_cpu;
	spin_unlock_irq(&trip_lock);

	if (ret)
		return;
	switch (state) {
	case HCT_TRIP_WAITING:
		res->timeouts++;
		break;
	case HCT_TRIP_BAD:
		res->bad_payload++;
		break;
	case HCT_TRIP_GOOD:
		res->received++;
		if (arrival != job->cpu)
			res->wrong_cpu++;
		job->lat[(*nlat)++] = latency;
		break;
	}
}

static long hct_echo_cpu(void *arg)
{
	struct hct_echo_job *job = arg;
	struct hct_echo_result *res = job->res;
	unsigned int i, nlat = 0;

	spin_lock_irq(&trip_lock);
	trip.stray_bad = 0;
	spin_unlock_irq(&trip_lock);

	for (i = 0; i < job->count; i++)
		hct_echo_trip(job, &nlat);

	spin_lock_irq(&trip_lock);
	res->bad_payload += trip.stray_bad;
	spin_unlock_irq(&trip_lock);

	sort(job->lat, nlat, sizeof(*job->lat), hct_u64_cmp, NULL);
	res->p50_ns = hct_percentile(job->lat, nlat, 50);
	res->p99_ns = hct_percentile(job->lat, nlat, 99);
	res->max_ns = nlat ? job->lat[nlat - 1] : 0;
	return 0;
}

/* Must hold hct_lock.  Process context. */
int hct_echo_run(unsigned int count)
{
	struct hct_echo_job job = { .count = count };
	unsigned int cpu;
	long ret;

	lockdep_assert_held(&hct_lock);
	job.lat = kvmalloc_array(count, sizeof(*job.lat), GFP_KERNEL);
	if (!job.lat)
		return -ENOMEM;
	memset(hct_echo_results, 0, nr_cpu_ids * sizeof(*hct_echo_results));

	for_each_online_cpu(cpu) {
		job.cpu = cpu;
		job.res = &hct_echo_results[cpu];
		ret = work_on_cpu_safe(cpu, hct_echo_cpu, &job);
		if (ret)	/* went offline meanwhile: reported as errors */
			job.res->errors = count;
	}
	kvfree(job.lat);
	return 0;
}

/* Must hold hct_lock. */
void hct_echo_show(struct seq_file *m)
{
	unsigned int cpu;

	lockdep_assert_held(&hct_lock);
	for_each_online_cpu(cpu) {
		const struct hct_echo_result *r = &hct_echo_results[cpu];

		seq_printf(m, "cpu=%u vp=%u sent=%u received=%u wrong_cpu=%u bad_payload=%u timeouts=%u errors=%u p50_ns=%llu p99_ns=%llu max_ns=%llu\n",
			   cpu, hvcore_vp_index(cpu), r->sent, r->received,
			   r->wrong_cpu, r->bad_payload, r->timeouts, r->errors,
			   r->p50_ns, r->p99_ns, r->max_ns);
	}
}

int hct_echo_init(void)
{
	hct_echo_results = kcalloc(nr_cpu_ids, sizeof(*hct_echo_results),
				   GFP_KERNEL);
	if (!hct_echo_results)
		return -ENOMEM;
	init_completion(&trip.done);
	return 0;
}

void hct_echo_uninit(void)
{
	kfree(hct_echo_results);
	hct_echo_results = NULL;
}
