/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_common_test: a test-only client of hv_common's core API
 * (include/hv/hv_core.h), driving hvhost's echo and event services
 * (include/hyperv/hvsim.h) from debugfs "hv_common_test".  The line formats
 * of the files are an ABI for the shell tests in selftests/hv_common/.
 *
 * Files: main.c (module, SINT client, debugfs, reset), echo.c, events.c,
 * badinput.c, burst.c, regs.c.
 *
 * Locking: hct_lock (main.c) serializes every debugfs operation, so one
 * test runs at a time and the SINT may be released and claimed again by
 * badinput while nothing else uses it.  The SINT callbacks run in hard
 * interrupt context and share per-test state with the runner under that
 * test's irq-safe spinlock.
 */
#ifndef _HCT_TEST_H
#define _HCT_TEST_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <hv/hv_core.h>

struct seq_file;

/* Message types of our posts (echoed back unchanged by hvhost). */
#define HCT_ECHO_TYPE		0x45434830	/* "ECH0": echo round trips */
#define HCT_BADINPUT_TYPE	0x45434831	/* "ECH1": badinput's posts, ignored */
#define HCT_BURST_TYPE		0x45434832	/* "ECH2": hvhost "post" bursts */

/* The longest wait for one reply or event. */
#define HCT_WAIT		HZ

/* Upper bound of a count written to echo or events. */
#define HCT_MAX_COUNT		100000

extern struct mutex hct_lock;

/* main.c: claim and release SINT HVSIM_ECHO_SINT.  Must hold hct_lock. */
int hct_sint_claim(void);
void hct_sint_release(void);

/* echo.c */
int hct_echo_init(void);
void hct_echo_uninit(void);
int hct_echo_run(unsigned int count);
void hct_echo_show(struct seq_file *m);
void hct_echo_on_message(const struct hv_message *msg);

/* events.c */
int hct_events_init(void);
void hct_events_uninit(void);
int hct_events_run(unsigned int count);
void hct_events_show(struct seq_file *m);
void hct_events_on_flags(const unsigned long *flags);

/* badinput.c */
void hct_badinput_show(struct seq_file *m);

/* burst.c */
void hct_burst_on_message(const struct hv_message *msg);
int hct_burst_reset(unsigned int unused);
void hct_burst_show(struct seq_file *m);

/* regs.c */
void hct_regs_show(struct seq_file *m);

#endif /* _HCT_TEST_H */
