// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed hypercalls: each case is sent through the raw hypercall entry
 * points with an input built by hand in pages of our own, and the TLFS
 * status the host returns is printed with hv_common's errno for it:
 *   case=<name> status=0x<4 hex digits> errno=<int>
 * plus one case that must fail in hv_common without a hypercall:
 *   case=post_helper_oversize errno=<int>
 * Expected values live in the shell test (selftests/hv_common/05-badinput.sh).
 */
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <asm/io.h>
#include <hyperv/hvsim.h>

#include "test.h"

#define HCT_GOOD_PAYLOAD	16
#define HCT_BAD_CONNECTION	0x7ffff
#define HCT_BAD_EVENT_CONN	0x7fffe
#define HCT_OUT_OF_RANGE_GPA	(1ULL << 46)
#define HCT_CTL_RESERVED_BIT	(1ULL << 27)

/* Two contiguous pages: inputs may straddle the boundary between them. */
struct hct_input {
	u8 *va;
	u64 gpa;
};

/* Write a post-message input at byte @off of the pages. */
static void hct_put_post(struct hct_input *in, unsigned int off, u32 conn,
			 u32 type, u32 size)
{
	struct hv_input_post_message msg = {
		.connection_id = cpu_to_le32(conn),
		.message_type = cpu_to_le32(type),
		.payload_size = cpu_to_le32(size),
	};

	memset(msg.payload, 0x5a, sizeof(msg.payload));
	memcpy(in->va + off, &msg, sizeof(msg));
}

static void hct_report(struct seq_file *m, const char *name, u64 result)
{
	u16 status = hv_hc_result_status(result);

	seq_printf(m, "case=%s status=0x%04x errno=%d\n", name, status,
		   hvcore_status_to_errno(status));
}

static u64 hct_post(struct hct_input *in, u64 control, unsigned int off)
{
	return hvcore_hypercall(control, in->gpa + off, 0);
}

static u64 hct_signal(u32 conn, u16 flag)
{
	return hvcore_fast_hypercall(hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0),
				     hv_signal_event_fast_input(conn, flag), 0);
}

/*
 * Run @call with SINT HVSIM_ECHO_SINT released (masked on every CPU), then
 * claim it again.  Must hold hct_lock.
 */
static u64 hct_with_sint_masked(struct seq_file *m, struct hct_input *in,
				u64 (*call)(struct hct_input *in))
{
	u64 result;
	int ret;

	hct_sint_release();
	result = call(in);
	ret = hct_sint_claim();
	if (ret)
		seq_printf(m, "case=reclaim_sint errno=%d\n", ret);
	return result;
}

static u64 hct_good_post(struct hct_input *in)
{
	hct_put_post(in, 0, HVSIM_ECHO_CONNECTION_ID, HCT_BADINPUT_TYPE,
		     HCT_GOOD_PAYLOAD);
	return hct_post(in, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0), 0);
}

static u64 hct_good_signal(struct hct_input *in)
{
	return hct_signal(HVSIM_EVENT_CONNECTION_ID, 1);
}

/* Must hold hct_lock.  Process context (releases and claims the SINT). */
void hct_badinput_show(struct seq_file *m)
{
	static const u8 oversize[HV_MESSAGE_PAYLOAD_MAX + 1];
	u64 post = hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0);
	const u32 echo = HVSIM_ECHO_CONNECTION_ID;
	const u32 type = HCT_BADINPUT_TYPE;
	struct hct_input in;
	struct page *pages;
	u16 status = 0;
	int ret;

	lockdep_assert_held(&hct_lock);
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!pages) {
		seq_puts(m, "case=alloc errno=-12\n");
		return;
	}
	in.va = page_address(pages);
	in.gpa = page_to_phys(pages);

	hct_report(m, "post_good", hct_good_post(&in));

	hct_put_post(&in, 4, echo, type, HCT_GOOD_PAYLOAD);
	hct_report(m, "post_unaligned", hct_post(&in, post, 4));

	hct_put_post(&in, HV_PAGE_SIZE - 8, echo, type, HCT_GOOD_PAYLOAD);
	hct_report(m, "post_straddle", hct_post(&in, post, HV_PAGE_SIZE - 8));

	hct_report(m, "post_out_of_range",
		   hvcore_hypercall(post, HCT_OUT_OF_RANGE_GPA, 0));

	hct_put_post(&in, 0, echo, type, HV_MESSAGE_PAYLOAD_MAX + 1);
	hct_report(m, "post_oversize", hct_post(&in, post, 0));

	hct_put_post(&in, 0, echo, 0, HCT_GOOD_PAYLOAD);
	hct_report(m, "post_type_zero", hct_post(&in, post, 0));

	hct_put_post(&in, 0, echo, 0x80000001, HCT_GOOD_PAYLOAD);
	hct_report(m, "post_type_reserved", hct_post(&in, post, 0));

	hct_put_post(&in, 0, HCT_BAD_CONNECTION, type, HCT_GOOD_PAYLOAD);
	hct_report(m, "post_bad_connection", hct_post(&in, post, 0));

	hct_report(m, "post_sint_masked",
		   hct_with_sint_masked(m, &in, hct_good_post));

	hct_report(m, "signal_bad_connection", hct_signal(HCT_BAD_EVENT_CONN, 1));

	hct_report(m, "signal_bad_flag",
		   hct_signal(HVSIM_EVENT_CONNECTION_ID, HV_EVENT_FLAGS_COUNT));

	hct_report(m, "signal_sint_masked",
		   hct_with_sint_masked(m, &in, hct_good_signal));

	hct_put_post(&in, 0, echo, type, HCT_GOOD_PAYLOAD);
	hct_report(m, "bad_code",
		   hct_post(&in, hv_hc_control(0x7777, 0, 0, 0, 0), 0));

	hct_report(m, "rep_on_simple",
		   hct_post(&in, hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 1, 0), 0));

	hct_report(m, "reserved_control_bits",
		   hct_post(&in, post | HCT_CTL_RESERVED_BIT, 0));

	ret = hvcore_post_message(echo, type, oversize, sizeof(oversize), &status);
	seq_printf(m, "case=post_helper_oversize errno=%d\n", ret);

	__free_pages(pages, 1);
}
