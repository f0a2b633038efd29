/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KTAP unit-test harness and a test partition whose guest RAM is
 * a malloc'd buffer and whose interrupts and VM events are counted.
 */
#ifndef HVHOST_TESTS_UNIT_H
#define HVHOST_TESTS_UNIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../partition.h"

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/*
 * Fail the running test: print where and why, then jump back to the
 * harness (the rest of the test is skipped; its allocations leak).
 */
void unit_fail(const char *file, int line, const char *what, uint64_t a, uint64_t b,
	       bool show_values) __attribute__((noreturn));

/* Checks evaluated so far, all tests together (relaxed atomic: tests may use threads). */
extern unsigned long unit_checks;

#define UNIT_COUNT_CHECK() __atomic_fetch_add(&unit_checks, 1, __ATOMIC_RELAXED)

#define CHECK(cond) do {						\
	UNIT_COUNT_CHECK();						\
	if (!(cond))							\
		unit_fail(__FILE__, __LINE__, #cond, 0, 0, false);	\
} while (0)

#define CHECK_EQ(a, b) do {						\
	uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);		\
	UNIT_COUNT_CHECK();						\
	if (a_ != b_)							\
		unit_fail(__FILE__, __LINE__, #a " == " #b, a_, b_, true); \
} while (0)

/* Suites, each terminated by { NULL, NULL }. */
extern const struct unit_test guestmem_tests[];
extern const struct unit_test hypercall_tests[];
extern const struct unit_test regs_tests[];
extern const struct unit_test synic_tests[];
extern const struct unit_test services_tests[];
extern const struct unit_test crash_tests[];
extern const struct unit_test reftime_tests[];
extern const struct unit_test ctl_tests[];
extern const struct unit_test mailbox_tests[];
extern const struct unit_test ivshmem_tests[];
extern const struct unit_test hvh_srv_tests[];
extern const struct unit_test hvh_gpadl_tests[];
extern const struct unit_test hvh_ring_tests[];
extern const struct unit_test hvh_chan_tests[];
extern const struct unit_test hvh_echo_tests[];
extern const struct unit_test hvh_hostile_tests[];
extern const struct unit_test hvh_sub_tests[];
extern const struct unit_test hvh_mnf_tests[];
extern const struct unit_test hvh_config_tests[];
extern const struct unit_test scsi_tests[];
extern const struct unit_test storvsp_tests[];

/* ---- the test partition ---- */

#define TP_RAM_SIZE	(1024 * 1024)
#define TP_SIMP(vp)	(0x10000 + 0x4000 * (uint64_t)(vp))	/* per-VP pages */
#define TP_SIEFP(vp)	(TP_SIMP(vp) + 0x1000)
#define TP_INPUT	0x80000		/* hypercall input page */
#define TP_OUTPUT	0x81000		/* hypercall output page */
#define TP_VECTOR	0x40

struct tp {
	struct partition p;
	uint8_t *ram;
	unsigned int irqs[HV_SINT_COUNT * 4];	/* per VP, atomic */
	int resets;
	int crashes;
	uint64_t now_ns;			/* the fake clock */
	uint64_t host_tsc;			/* the fake host TSC */
};

/* A partition with @nr_vps VPs over TP_RAM_SIZE of RAM; test services on. */
void tp_init(struct tp *t, unsigned int nr_vps);
void tp_destroy(struct tp *t);
/* SIMP, SIEFP, SCONTROL on and SINT 2 and 5 unmasked on VP @vp. */
void tp_synic_on(struct tp *t, unsigned int vp);
/* Host pointer to VP @vp's SIMP slot @sint. */
struct hv_message *tp_slot(struct tp *t, unsigned int vp, unsigned int sint);
unsigned int tp_irqs(struct tp *t, unsigned int vp);
/* Guest side: free slot @sint of VP @vp like Linux; true if pending was set. */
bool tp_consume(struct tp *t, unsigned int vp, unsigned int sint, struct hv_message *copy);
/* HvCallPostMessage from VP @vp; returns the status. */
uint16_t tp_post(struct tp *t, unsigned int vp, uint32_t conn, uint32_t type,
		 const void *payload, uint32_t size);

#endif /* HVHOST_TESTS_UNIT_H */
