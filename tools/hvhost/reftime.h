/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference time (100 ns units since the partition started) and the
 * reference TSC page.
 *
 * The TSC assumption: under QEMU TCG on an x86 host the guest's RDTSC
 * returns the host TSC plus a constant offset D while the VM runs (QEMU
 * adds its own offset to the host's RDTSC).  hvhost measures the host TSC
 * rate once (tsc_calibrate) and, when the guest enables the page, writes
 *   scale  = (10^7 << 64) / tsc_hz
 *   offset = reftime_now - ((guest_tsc_now * scale) >> 64)
 * so that the guest's ((RDTSC * scale) >> 64) + offset is reference time.
 *
 * guest_tsc_now is estimated as host_tsc_now + D.  Every mailbox request
 * carries the guest's TSC at the time of the request; the host reads its
 * own TSC when it picks the request up, later by the transport latency L,
 * so guest_tsc - host_tsc = D - L * tsc_hz <= D.  hvhost keeps the largest
 * such difference seen (reftsc_sample): the request with the smallest
 * latency so far.  Using the enabling request's guest_tsc alone (what the
 * TLFS-level description suggests) would put the page ahead by that one
 * request's latency, which reaches milliseconds on a loaded host.  The page
 * is written only when the guest writes the register, never refined later
 * (a refinement would move the guest's clock backwards).
 */
#ifndef HVHOST_REFTIME_H
#define HVHOST_REFTIME_H

#include <stdint.h>

#include "partition.h"

/* Host TSC frequency in Hz (RDTSC against CLOCK_MONOTONIC_RAW, ~50 ms), 0 if none. */
uint64_t tsc_calibrate(void);

/* 64.64 multiplier turning TSC ticks into 100 ns units; 0 if @tsc_hz is unusable. */
uint64_t reftsc_scale(uint64_t tsc_hz);

/* Offset that makes reftsc_eval(@tsc) == @reftime. */
int64_t reftsc_offset(uint64_t reftime, uint64_t tsc, uint64_t scale);

/* What a guest computes from the page: ((tsc * scale) >> 64) + offset. */
uint64_t reftsc_eval(uint64_t tsc, uint64_t scale, int64_t offset);

/*
 * Reference time at the moment the guest's TSC read @guest_tsc (the time
 * of the request, not of its processing, so TIME_REF_COUNT reads do not
 * carry the transport's latency), using the TSC estimate above.  Without
 * an estimate, or for @guest_tsc 0, the current reference time.  Never
 * less than a value returned before (partition-wide).
 */
uint64_t reftime_at(struct partition *p, uint64_t guest_tsc);

/* The host TSC (RDTSC, or the partition's test hook). */
uint64_t reftsc_host_tsc(struct partition *p);

/* A mailbox request made at guest TSC @guest_tsc was picked up at @host_tsc. */
void reftsc_sample(struct partition *p, uint64_t guest_tsc, uint64_t host_tsc);

/*
 * REFERENCE_TSC register; return an HVSIM_ST_* status.  @guest_tsc is the
 * writing request's guest TSC, used only when no sample was taken.
 */
int reftsc_reg_get(struct partition *p, uint64_t *val);
int reftsc_reg_set(struct partition *p, uint64_t val, uint64_t guest_tsc);

#endif /* HVHOST_REFTIME_H */
