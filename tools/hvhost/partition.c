// SPDX-License-Identifier: GPL-2.0
/*
 * Partition and VP life cycle, the reference clock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partition.h"
#include "synic.h"

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

uint64_t partition_clock_ns(struct partition *p)
{
	if (p->ops.clock_ns)
		return p->ops.clock_ns(p->ops.ctx);
	return monotonic_ns();
}

uint64_t partition_reftime(struct partition *p)
{
	return (partition_clock_ns(p) - p->start_ns) / 100;
}

void partition_vm_event(struct partition *p, enum vm_event ev)
{
	if (p->ops.vm_event)
		p->ops.vm_event(p->ops.ctx, ev);
}

int partition_exit_status(struct partition *p)
{
	return __atomic_load_n(&p->exit_status, __ATOMIC_RELAXED);
}

void partition_set_exit_status(struct partition *p, int status)
{
	__atomic_store_n(&p->exit_status, status, __ATOMIC_RELAXED);
}

int partition_init(struct partition *p, void *ram, uint64_t ram_size, unsigned int nr_vps,
		   const struct partition_ops *ops)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (!nr_vps || nr_vps > 64)
		return -EINVAL;
	p->mem.base = ram;
	p->mem.size = ram_size;
	p->nr_vps = nr_vps;
	if (ops)
		p->ops = *ops;
	p->exit_status = -1;
	p->tsc_delta = INT64_MIN;	/* no sample yet */
	p->vp = calloc(nr_vps, sizeof(*p->vp));
	if (!p->vp)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	pthread_rwlock_init(&p->conns.lock, NULL);
	for (i = 0; i < nr_vps; i++) {
		p->vp[i].part = p;
		p->vp[i].index = i;
		pthread_mutex_init(&p->vp[i].lock, NULL);
		synic_reset(&p->vp[i]);
	}
	p->start_ns = partition_clock_ns(p);
	return 0;
}

void partition_destroy(struct partition *p)
{
	unsigned int i, s;

	if (!p->vp)
		return;
	for (i = 0; i < p->nr_vps; i++) {
		for (s = 0; s < HV_SINT_COUNT; s++)
			free(p->vp[i].queue[s].msg);
		pthread_mutex_destroy(&p->vp[i].lock);
	}
	free(p->vp);
	p->vp = NULL;
	free(p->crash_report);
	p->crash_report = NULL;
	pthread_mutex_destroy(&p->lock);
	pthread_rwlock_destroy(&p->conns.lock);
}
