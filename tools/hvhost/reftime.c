// SPDX-License-Identifier: GPL-2.0
/*
 * TSC calibration and the reference TSC page (see reftime.h).
 */
#include <endian.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "hyperv/hvsim.h"
#include "log.h"
#include "reftime.h"

#define CALIBRATE_NS	50000000ULL

#if defined(__x86_64__) || defined(__i386__)
static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One (time, tsc) pair; the tightest of a few tries to dodge preemption. */
static void sample(uint64_t *ns, uint64_t *tsc)
{
	uint64_t best = UINT64_MAX, a, b, c;
	int i;

	for (i = 0; i < 5; i++) {
		a = raw_ns();
		c = __rdtsc();
		b = raw_ns();
		if (b - a < best) {
			best = b - a;
			*ns = a + (b - a) / 2;
			*tsc = c;
		}
	}
}

uint64_t tsc_calibrate(void)
{
	uint64_t ns0, tsc0, ns1, tsc1;
	struct timespec ts = { 0, CALIBRATE_NS };

	sample(&ns0, &tsc0);
	nanosleep(&ts, NULL);
	sample(&ns1, &tsc1);
	if (ns1 <= ns0 || tsc1 <= tsc0)
		return 0;
	return (uint64_t)((__uint128_t)(tsc1 - tsc0) * 1000000000ULL / (ns1 - ns0));
}
#else
uint64_t tsc_calibrate(void)
{
	return 0;
}
#endif

uint64_t reftsc_host_tsc(struct partition *p)
{
	if (p->ops.host_tsc)
		return p->ops.host_tsc(p->ops.ctx);
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	return 0;
#endif
}

void reftsc_sample(struct partition *p, uint64_t guest_tsc, uint64_t host_tsc)
{
	int64_t d = (int64_t)(guest_tsc - host_tsc);
	int64_t cur = __atomic_load_n(&p->tsc_delta, __ATOMIC_RELAXED);

	while (d > cur && !__atomic_compare_exchange_n(&p->tsc_delta, &cur, d, true,
						      __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (d > cur && cur != INT64_MIN && p->tsc_hz)
		hv_dbg("guest TSC estimate: %+.1f us", (double)(d - cur) * 1e6 / p->tsc_hz);
}

/*
 * Reference time and host TSC of the same instant: the tightest of a few
 * tries, so that a preemption between the two reads (milliseconds on a
 * loaded host) does not skew the pair.
 */
static void reftime_pair(struct partition *p, uint64_t *ref, uint64_t *tsc)
{
	uint64_t a, b, r, best = UINT64_MAX;
	int i;

	for (i = 0; i < 4 && best > 2000; i++) {
		a = reftsc_host_tsc(p);
		r = partition_reftime(p);
		b = reftsc_host_tsc(p);
		if (b - a < best) {
			best = b - a;
			*ref = r;
			*tsc = a + (b - a) / 2;
		}
	}
}

/* Partition-wide monotonic: never below an earlier answer. */
static uint64_t reftime_monotonic(struct partition *p, uint64_t t)
{
	uint64_t last = __atomic_load_n(&p->reftime_last, __ATOMIC_RELAXED);

	while (t > last && !__atomic_compare_exchange_n(&p->reftime_last, &last, t, true,
						      __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return t > last ? t : last;
}

uint64_t reftime_at(struct partition *p, uint64_t guest_tsc)
{
	int64_t delta = __atomic_load_n(&p->tsc_delta, __ATOMIC_RELAXED);
	uint64_t now, host_now, host_then, back;

	if (!guest_tsc || delta == INT64_MIN || !p->tsc_hz) {
		now = partition_reftime(p);
	} else {
		reftime_pair(p, &now, &host_now);
		host_then = guest_tsc - (uint64_t)delta;
		if (host_then < host_now) {
			back = (uint64_t)((__uint128_t)(host_now - host_then) * HV_REF_TIME_HZ /
					  p->tsc_hz);
			now -= back < now ? back : now;
		}
	}
	return reftime_monotonic(p, now);
}

uint64_t reftsc_scale(uint64_t tsc_hz)
{
	/* Below 10 MHz the multiplier would not fit in 64 bits. */
	if (tsc_hz <= HV_REF_TIME_HZ)
		return 0;
	return (uint64_t)(((__uint128_t)HV_REF_TIME_HZ << 64) / tsc_hz);
}

int64_t reftsc_offset(uint64_t reftime, uint64_t tsc, uint64_t scale)
{
	uint64_t scaled = (uint64_t)(((__uint128_t)tsc * scale) >> 64);

	return (int64_t)(reftime - scaled);
}

uint64_t reftsc_eval(uint64_t tsc, uint64_t scale, int64_t offset)
{
	return (uint64_t)(((__uint128_t)tsc * scale) >> 64) + (uint64_t)offset;
}

int reftsc_reg_get(struct partition *p, uint64_t *val)
{
	pthread_mutex_lock(&p->lock);
	*val = p->ref_tsc;
	pthread_mutex_unlock(&p->lock);
	return HVSIM_ST_OK;
}

/*
 * Must hold p->lock.  Seqlock writer: sequence 0 (invalid) first, then the
 * fields, then a new non-zero sequence.  0xffffffff is skipped as well (some
 * TLFS versions name it the invalid value).
 */
static void reftsc_fill(struct partition *p, struct hv_ref_tsc_page *pg, uint64_t guest_tsc)
{
	uint64_t scale = reftsc_scale(p->tsc_hz), now, tsc_now;
	int64_t offset, delta;

	__atomic_store_n(&pg->tsc_sequence, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pg->reserved1 = 0;
	memset(pg->reserved2, 0, sizeof(pg->reserved2));
	if (!scale)
		return;		/* sequence 0: the guest reads TIME_REF_COUNT */
	reftime_pair(p, &now, &tsc_now);
	delta = __atomic_load_n(&p->tsc_delta, __ATOMIC_RELAXED);
	if (delta != INT64_MIN)
		tsc_now += (uint64_t)delta;
	else
		tsc_now = guest_tsc;
	offset = reftsc_offset(now, tsc_now, scale);
	__atomic_store_n(&pg->tsc_scale, htole64(scale), __ATOMIC_RELAXED);
	__atomic_store_n(&pg->tsc_offset, htole64((uint64_t)offset), __ATOMIC_RELAXED);
	do {
		p->ref_tsc_seq++;
	} while (p->ref_tsc_seq == 0 || p->ref_tsc_seq == UINT32_MAX);
	__atomic_store_n(&pg->tsc_sequence, htole32(p->ref_tsc_seq), __ATOMIC_RELEASE);
}

int reftsc_reg_set(struct partition *p, uint64_t val, uint64_t guest_tsc)
{
	struct hv_ref_tsc_page *pg = NULL;

	if (val & HV_PAGE_REG_RSVD)
		return HVSIM_ST_BAD_VALUE;
	if (val & HV_PAGE_REG_ENABLE) {
		pg = gm_ptr(&p->mem, val & HV_PAGE_MASK, HV_PAGE_SIZE);
		if (!pg)
			return HVSIM_ST_BAD_VALUE;
	}
	pthread_mutex_lock(&p->lock);
	p->ref_tsc = val;
	if (pg)
		reftsc_fill(p, pg, guest_tsc);
	pthread_mutex_unlock(&p->lock);
	return HVSIM_ST_OK;
}
