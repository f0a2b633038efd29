/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_sim private state: the sim platform backend that reaches hvhost
 * through QEMU's ivshmem-doorbell device.  The wire format (shared-memory
 * header, mailboxes, ops, statuses) is include/hyperv/hvsim.h.
 *
 * Files: pci.c (probe/remove, header validation, platform registration),
 * mailbox.c (the synchronous transaction and the platform ops), irq.c
 * (one MSI-X vector per vCPU, the ISR), debugfs.c (statistics); test
 * builds only (CONFIG_HVSTACK_TESTING): hostctl.c (debugfs hostctl).
 */
#ifndef _HVSIM_SIM_H
#define _HVSIM_SIM_H

#include <linux/types.h>
#include <linux/cache.h>
#include <linux/smp.h>
#include <hyperv/hvsim.h>

struct pci_dev;
struct dentry;

/*
 * The vector reported to hv_common for the SINTx registers.  MSI-X gives
 * every vCPU its own Linux vector, so there is no single real one; hvhost
 * raises MSI-X vector <vp> whatever the SINT says and only checks that the
 * value is a valid x86 vector (16..255).  0xf3 is the vector Linux uses for
 * the Hyper-V callback on real hardware.
 */
#define HVSIM_SINT_VECTOR	0xf3

/*
 * Per-VP state.  @mb is this VP's mailbox in shared memory.  @seq, @busy,
 * @calls, @max_spin_ns, @total_spin_ns and @timeouts are written only by the CPU that owns
 * the VP, with local interrupts disabled (mailbox.c); @interrupts and
 * @forwarded only by the handler of MSI-X vector <vp>, which never runs
 * concurrently with itself.  debugfs reads the counters locklessly (READ_ONCE/WRITE_ONCE; a
 * snapshot torn across fields is acceptable for statistics).
 */
struct hvsim_vp {
	struct hvsim_mailbox *mb;
	u32 index;		/* VP index == CPU == mailbox == MSI-X vector */
	u32 seq;		/* last req_seq this guest wrote */
	bool busy;		/* a transaction is in progress (NMI re-entry guard) */
	int irq;		/* Linux irq of MSI-X vector <vp>, 0 if none */
	char irq_name[16];	/* "hv_sim-vp<n>", for /proc/interrupts */
	call_single_data_t csd;	/* forwards interrupts that land elsewhere */
	u64 calls;
	u64 max_spin_ns;
	u64 total_spin_ns;
	u64 timeouts;
	u64 interrupts;
	u64 forwarded;		/* interrupts handled elsewhere, sent here */
} ____cacheline_aligned;

/*
 * The one device.  Set up in probe before the platform is registered and
 * torn down in remove after it is unregistered, so the platform ops can
 * use it without locking.
 */
struct hvsim_dev {
	struct pci_dev *pdev;
	void __iomem *regs;		/* BAR0: ivshmem registers */
	void *shm;			/* BAR2: HVSIM_SHM_SIZE bytes, WB-mapped */
	struct hvsim_shm_header hdr;	/* validated copy of the shared header */
	u32 nr_vps;			/* mailboxes the host provides */
	u32 nr_vectors;			/* min(nr_vps, nr_cpu_ids) */
	bool dead;			/* a transaction timed out: stop (WRITE_ONCE) */
	struct hvsim_vp *vps;		/* nr_vps entries */
	bool irqs_requested;
	int cpuhp_state;		/* dynamic cpuhp state, < 0 if none */
	struct dentry *debugfs;
};

/* pci.c */
extern struct hvsim_dev *hvsim;

/* mailbox.c */
struct hvsim_req {
	u32 op;			/* enum hvsim_op */
	u64 arg[3];
	const char *text;	/* HOSTCTL: command (not NUL-terminated) */
	u32 text_len;
	char *answer;		/* HOSTCTL: HVSIM_TEXT_MAX bytes for the answer */
	u32 answer_len;		/* out: answer length */
	u64 ret[2];		/* out: ret0 hypercall result, ret1 register value */
};

int hvsim_transact(struct hvsim_req *req);
u64 hvsim_hypercall(u64 control, u64 in_gpa, u64 out_gpa);
u64 hvsim_fast_hypercall(u64 control, u64 in0, u64 in1);
int hvsim_get_register(u32 name, u64 *val);
int hvsim_set_register(u32 name, u64 val);
int hvsim_mailbox_init(struct hvsim_dev *sim);

/* irq.c */
int hvsim_irq_init(struct hvsim_dev *sim);
void hvsim_irq_uninit(struct hvsim_dev *sim);
int hvsim_irq_enable(void (*isr)(void), u8 *vector);
void hvsim_irq_disable(void);

/* debugfs.c */
void hvsim_debugfs_init(struct hvsim_dev *sim);
void hvsim_debugfs_uninit(struct hvsim_dev *sim);

/* hostctl.c: test builds only, an empty inline in production ones. */
#ifdef CONFIG_HVSTACK_TESTING
void hvsim_hostctl_debugfs(struct hvsim_dev *sim);
#else
static inline void hvsim_hostctl_debugfs(struct hvsim_dev *sim)
{
}
#endif

#endif /* _HVSIM_SIM_H */
