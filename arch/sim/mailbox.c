// SPDX-License-Identifier: GPL-2.0
/*
 * The mailbox transaction: every synchronous operation of the sim platform
 * (hypercall, register access, host-control command) is one request in the
 * calling CPU's mailbox, answered by hvhost while the CPU spins.
 *
 * Context: any, including hard interrupt (the SynIC ISR writes EOM) and
 * panic context (crash registers).  Nothing here sleeps, takes a lock or
 * allocates.  Local interrupts are disabled for the whole transaction, so
 * the only thing that can interrupt it on the same CPU is an NMI; a
 * per-VP busy flag makes such a nested call fail instead of tearing the
 * mailbox.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <asm/barrier.h>
#include <asm/processor.h>
#ifdef CONFIG_X86
#include <asm/msr.h>
#endif
#include <hyperv/tlfs.h>

#include "sim.h"

static unsigned int timeout_ms = 2000;

static int timeout_ms_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 600000);
}

static const struct kernel_param_ops timeout_ms_ops = {
	.set = timeout_ms_set,
	.get = param_get_uint,
};

module_param_cb(timeout_ms, &timeout_ms_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "How long a transaction waits for hvhost before the transport is declared dead (1..600000, default 2000)");

/* How many spins between two clock reads while waiting for the host. */
#define HVSIM_SPINS_PER_CLOCK_READ	32

static u64 hvsim_guest_tsc(void)
{
#ifdef CONFIG_X86
	return rdtsc_ordered();
#else
	return get_cycles();
#endif
}

/*
 * Called at probe, before the platform is registered: adopt the sequence
 * numbers left in the mailboxes (by hvhost's initialisation or a previous
 * load of this module).  A mailbox whose request was never answered means
 * an earlier instance timed out while the host may still be reading it:
 * reusing it could hand the host a torn request, so refuse.
 */
int hvsim_mailbox_init(struct hvsim_dev *sim)
{
	u32 i, req, done;

	for (i = 0; i < sim->nr_vps; i++) {
		struct hvsim_vp *vp = &sim->vps[i];

		vp->index = i;
		vp->mb = sim->shm + le32_to_cpu(sim->hdr.mailbox_offset) +
			 (size_t)i * le32_to_cpu(sim->hdr.mailbox_size);
		req = le32_to_cpu(READ_ONCE(vp->mb->req_seq));
		/* Pairs with the host's store-release of done_seq (G4). */
		done = le32_to_cpu(smp_load_acquire(&vp->mb->done_seq));
		if (req != done) {
			dev_err(&sim->pdev->dev,
				"mailbox %u has an unanswered request (req_seq %u, done_seq %u): a previous user timed out; restart hvhost\n",
				i, req, done);
			return -EIO;
		}
		vp->seq = req;
	}
	return 0;
}

static int hvsim_status_to_errno(u32 status)
{
	switch (status) {
	case HVSIM_ST_OK:
		return 0;
	case HVSIM_ST_BAD_REG:
	case HVSIM_ST_BAD_VALUE:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/* The host did not answer in time: stop using the transport for good. */
static void hvsim_timed_out(struct hvsim_dev *sim, struct hvsim_vp *vp,
			    unsigned int cpu, u32 op, unsigned int ms)
{
	WRITE_ONCE(vp->timeouts, vp->timeouts + 1);
	if (xchg(&sim->dead, true))
		return;
	dev_err(&sim->pdev->dev,
		"VP %u: hvhost did not answer op %u within %u ms; the sim transport is dead, every later call fails\n",
		cpu, op, ms);
}

/*
 * One request/answer exchange in @vp's mailbox.  Must be called with local
 * interrupts disabled on the CPU that owns @vp.
 *
 * The mailbox contract (include/hyperv/hvsim.h), guest side:
 *  G1. The guest writes op, arg[], guest_tsc (and text/text_len) while
 *      req_seq == done_seq: the host does not read them then.
 *  G2. The guest publishes the request with a store-release of req_seq:
 *      a host that load-acquires the new req_seq sees every G1 field.
 *  G3. The doorbell is only a hint ("look at mailbox <vp>"); it is written
 *      after G2 so the host never wakes up before the request is visible.
 *      Doorbells coalesce; the host re-checks req_seq != done_seq.
 *  G4. The guest load-acquires done_seq; once it equals req_seq, status,
 *      ret[] and text (written by the host before its store-release of
 *      done_seq) are complete and the host no longer touches the mailbox.
 *  G5. Each answer field is read once (READ_ONCE) and checked before use:
 *      the host is not trusted to keep them stable.
 *  G6. A guest that gives up before G4 never writes the mailbox again.
 */
static int hvsim_mailbox_call(struct hvsim_dev *sim, struct hvsim_vp *vp,
			      unsigned int cpu, struct hvsim_req *req)
{
	struct hvsim_mailbox *mb = vp->mb;
	unsigned int ms = READ_ONCE(timeout_ms);
	u64 limit = (u64)ms * NSEC_PER_MSEC;
	u64 start, spin;
	u32 seq = vp->seq + 1;
	u32 status, len;
	unsigned long n;
	unsigned int i;

	/* G1: request fields. */
	WRITE_ONCE(mb->op, cpu_to_le32(req->op));
	for (i = 0; i < ARRAY_SIZE(mb->arg); i++)
		WRITE_ONCE(mb->arg[i], cpu_to_le64(req->arg[i]));
	if (req->op == HVSIM_OP_HOSTCTL) {
		memcpy(mb->text, req->text, req->text_len);
		WRITE_ONCE(mb->text_len, cpu_to_le32(req->text_len));
	}
	WRITE_ONCE(mb->guest_tsc, cpu_to_le64(hvsim_guest_tsc()));

	/* G2: publish; pairs with the host's load-acquire of req_seq. */
	smp_store_release(&mb->req_seq, cpu_to_le32(seq));
	vp->seq = seq;

	/*
	 * G3: writel() orders all earlier stores to normal memory (the
	 * mailbox) before the MMIO write, so the doorbell cannot overtake
	 * the request.
	 */
	writel(HVSIM_HOST_PEER << 16 | cpu, sim->regs + HVSIM_REG_DOORBELL);

	/* G4: wait for the answer, bounded by timeout_ms. */
	start = ktime_get_mono_fast_ns();
	for (n = 1; ; n++) {
		/* Pairs with the host's store-release of done_seq. */
		if (le32_to_cpu(smp_load_acquire(&mb->done_seq)) == seq)
			break;
		cpu_relax();
		if (n % HVSIM_SPINS_PER_CLOCK_READ)
			continue;
		if (ktime_get_mono_fast_ns() - start > limit) {
			/* G6: the mailbox belongs to the host from now on. */
			hvsim_timed_out(sim, vp, cpu, req->op, ms);
			return -EIO;
		}
	}
	spin = ktime_get_mono_fast_ns() - start;
	WRITE_ONCE(vp->calls, vp->calls + 1);
	WRITE_ONCE(vp->total_spin_ns, vp->total_spin_ns + spin);
	if (spin > vp->max_spin_ns)
		WRITE_ONCE(vp->max_spin_ns, spin);

	/* G5: read each answer field once. */
	status = le32_to_cpu(READ_ONCE(mb->status));
	req->ret[0] = le64_to_cpu(READ_ONCE(mb->ret[0]));
	req->ret[1] = le64_to_cpu(READ_ONCE(mb->ret[1]));
	/* A refused command may still come with an explanation. */
	if (req->op == HVSIM_OP_HOSTCTL &&
	    (status == HVSIM_ST_OK || status == HVSIM_ST_BAD_VALUE)) {
		len = le32_to_cpu(READ_ONCE(mb->text_len));
		if (len > HVSIM_TEXT_MAX) {
			pr_err_ratelimited("hv_sim: VP %u: host answer of %u bytes exceeds %u\n",
					   cpu, len, HVSIM_TEXT_MAX);
			return -EIO;
		}
		memcpy(req->answer, mb->text, len);
		req->answer_len = len;
	}
	return hvsim_status_to_errno(status);
}

/**
 * hvsim_transact() - perform @req in the calling CPU's mailbox
 * @req: the request; ret[] (and answer/answer_len for HOSTCTL) are filled
 *	on success.
 *
 * Any context; does not sleep.  Return: 0; -EINVAL when the host refused a
 * register or value; -EIO for a transport failure (timed out now or before,
 * no mailbox for this CPU, a malformed answer, an op the host does not
 * know); -EBUSY when called from an NMI that interrupted a transaction;
 * -ENODEV without a device.
 */
int hvsim_transact(struct hvsim_req *req)
{
	struct hvsim_dev *sim = READ_ONCE(hvsim);
	struct hvsim_vp *vp;
	unsigned long flags;
	unsigned int cpu;
	int ret;

	if (!sim)
		return -ENODEV;
	if (req->op == HVSIM_OP_HOSTCTL && req->text_len > HVSIM_TEXT_MAX)
		return -EINVAL;

	local_irq_save(flags);
	cpu = smp_processor_id();
	if (READ_ONCE(sim->dead)) {
		ret = -EIO;
		goto out;
	}
	if (cpu >= sim->nr_vps) {
		pr_err_ratelimited("hv_sim: CPU %u has no mailbox (hvhost provides %u): call refused\n",
				   cpu, sim->nr_vps);
		ret = -EIO;
		goto out;
	}
	vp = &sim->vps[cpu];
	if (vp->busy) {
		ret = -EBUSY;
		goto out;
	}
	vp->busy = true;
	barrier();	/* busy is set before the mailbox is touched (NMI) */
	ret = hvsim_mailbox_call(sim, vp, cpu, req);
	barrier();
	vp->busy = false;
out:
	local_irq_restore(flags);
	return ret;
}

/* Platform ops.  A transport failure is HV_STATUS_TIME_OUT (hv_platform.h). */
u64 hvsim_hypercall(u64 control, u64 in_gpa, u64 out_gpa)
{
	struct hvsim_req req = {
		.op = HVSIM_OP_HYPERCALL,
		.arg = { control, in_gpa, out_gpa },
	};

	if (hvsim_transact(&req))
		return hv_hc_result(HV_STATUS_TIME_OUT, 0);
	return req.ret[0];
}

u64 hvsim_fast_hypercall(u64 control, u64 in0, u64 in1)
{
	struct hvsim_req req = {
		.op = HVSIM_OP_FAST_HYPERCALL,
		.arg = { control, in0, in1 },
	};

	if (hvsim_transact(&req))
		return hv_hc_result(HV_STATUS_TIME_OUT, 0);
	return req.ret[0];
}

int hvsim_get_register(u32 name, u64 *val)
{
	struct hvsim_req req = {
		.op = HVSIM_OP_GET_REG,
		.arg = { name },
	};
	int ret;

	ret = hvsim_transact(&req);
	if (ret)
		return ret == -EINVAL ? -EINVAL : -EIO;
	*val = req.ret[1];
	return 0;
}

int hvsim_set_register(u32 name, u64 val)
{
	struct hvsim_req req = {
		.op = HVSIM_OP_SET_REG,
		.arg = { name, val },
	};
	int ret;

	ret = hvsim_transact(&req);
	if (ret)
		return ret == -EINVAL ? -EINVAL : -EIO;
	return 0;
}
