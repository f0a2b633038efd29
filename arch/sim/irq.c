// SPDX-License-Identifier: GPL-2.0
/*
 * Host-to-guest interrupts: hvhost raises MSI-X vector <vp> for VP <vp>'s
 * SynIC, and vector <vp> is bound to CPU <vp>, so hv_common's ISR runs on
 * the CPU whose SINT fired.  Vectors are non-managed (user space may still
 * move them) and re-bound to their CPU when it comes back online.
 *
 * An interrupt of vector <vp> that is handled on another CPU is forwarded
 * to CPU <vp> by IPI: on x86 without interrupt remapping an affinity change
 * only takes effect when the vector next fires, so the first interrupt
 * after a CPU comes back online still arrives on the CPU that took it over
 * (measured), and the SynIC pages it signals are CPU <vp>'s.
 *
 * The vectors are requested at probe; the platform ops irq_enable and
 * irq_disable only publish or withdraw hv_common's callback, so they never
 * sleep.  Until irq_enable, an interrupt is counted and otherwise ignored.
 */
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/atomic.h>
#include <linux/lockdep.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "sim.h"

/*
 * The callback hv_common passed to irq_enable(), NULL while disabled.
 * Written under hvsim_irq_lock, read locklessly by the interrupt handler.
 */
static void (*hvsim_isr)(void);
static bool hvsim_irq_on;		/* must hold hvsim_irq_lock */
static DEFINE_SPINLOCK(hvsim_irq_lock);

/*
 * Forwarding IPIs sent and not finished yet (their csd is in use), and
 * those of them that are running right now (see hvsim_irq_disable()).
 */
static atomic_t hvsim_forwards = ATOMIC_INIT(0);
static atomic_t hvsim_forwards_running = ATOMIC_INIT(0);

static void hvsim_call_isr(void)
{
	void (*isr)(void);

	/*
	 * An interrupt is only a hint that the SynIC pages changed
	 * (signals coalesce); the ISR scans them.
	 */
	isr = READ_ONCE(hvsim_isr);
	if (isr)
		isr();
}

/* IPI handler on CPU <vp>: hard interrupt context, like a vector's. */
static void hvsim_forwarded(void *data)
{
	atomic_inc(&hvsim_forwards_running);
	/* Orders the increment before the load of hvsim_isr: see irq_disable. */
	smp_mb__after_atomic();
	hvsim_call_isr();
	atomic_dec(&hvsim_forwards_running);
	/* Last access: after this the csd (in struct hvsim_vp) may go. */
	atomic_dec(&hvsim_forwards);
}

static irqreturn_t hvsim_irq_handler(int irq, void *data)
{
	struct hvsim_vp *vp = data;

	WRITE_ONCE(vp->interrupts, vp->interrupts + 1);
	if (likely(smp_processor_id() == vp->index)) {
		hvsim_call_isr();
		return IRQ_HANDLED;
	}
	if (!cpu_online(vp->index))
		return IRQ_HANDLED;	/* its SynIC is off: nothing to do */
	/*
	 * A forward still in flight for this VP (-EBUSY) will scan the
	 * pages anyway: signals coalesce.
	 */
	atomic_inc(&hvsim_forwards);
	if (smp_call_function_single_async(vp->index, &vp->csd))
		atomic_dec(&hvsim_forwards);
	else
		WRITE_ONCE(vp->forwarded, vp->forwarded + 1);
	return IRQ_HANDLED;
}

/*
 * Wait until no forwarding IPI of ours is pending or running.  Interrupts
 * must be enabled: one may be pending on this CPU.
 */
static void hvsim_wait_forwards(void)
{
	lockdep_assert_irqs_enabled();
	while (atomic_read(&hvsim_forwards))
		cpu_relax();
}

/* cpuhp: a CPU came back online, put its vector back on it. */
static int hvsim_cpu_online(unsigned int cpu)
{
	struct hvsim_dev *sim = READ_ONCE(hvsim);

	if (sim && cpu < sim->nr_vectors && sim->vps[cpu].irq)
		irq_set_affinity(sim->vps[cpu].irq, cpumask_of(cpu));
	return 0;
}

static void hvsim_irq_free(struct hvsim_dev *sim, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		struct hvsim_vp *vp = &sim->vps[i];

		irq_update_affinity_hint(vp->irq, NULL);
		free_irq(vp->irq, vp);
		vp->irq = 0;
	}
}

/**
 * hvsim_irq_init() - allocate one MSI-X vector per usable VP
 * @sim: the device; nr_vectors is set here.
 *
 * Process context.  Vector i is bound to CPU i; its handler does nothing
 * but count until hvsim_irq_enable().
 */
int hvsim_irq_init(struct hvsim_dev *sim)
{
	struct pci_dev *pdev = sim->pdev;
	u32 n = min_t(u32, sim->nr_vps, nr_cpu_ids);
	u32 i;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(&pdev->dev,
			"cannot allocate %u MSI-X vectors (one per vCPU; does hvhost give the device enough vectors?): %d\n",
			n, ret);
		return ret;
	}
	sim->nr_vectors = n;

	for (i = 0; i < n; i++) {
		struct hvsim_vp *vp = &sim->vps[i];

		INIT_CSD(&vp->csd, hvsim_forwarded, vp);
		vp->irq = pci_irq_vector(pdev, i);
		snprintf(vp->irq_name, sizeof(vp->irq_name), "hv_sim-vp%u", i);
		/*
		 * Bind before request_irq(): the vector is then set up on
		 * CPU i right away, rather than moved there after its first
		 * interrupt.  An offline CPU gets its vector when it comes
		 * online (hvsim_cpu_online()).
		 */
		ret = irq_set_affinity_and_hint(vp->irq, cpumask_of(i));
		if (ret && cpu_online(i))
			dev_warn(&pdev->dev, "cannot bind irq %d to CPU %u: %d\n",
				 vp->irq, i, ret);
		ret = request_irq(vp->irq, hvsim_irq_handler, 0, vp->irq_name, vp);
		if (ret) {
			dev_err(&pdev->dev, "cannot request irq %d for VP %u: %d\n",
				vp->irq, i, ret);
			irq_update_affinity_hint(vp->irq, NULL);
			vp->irq = 0;
			goto err_free_irqs;
		}
	}

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "hv_sim:online",
					hvsim_cpu_online, NULL);
	if (ret < 0) {
		dev_err(&pdev->dev, "cannot register a CPU hotplug state: %d\n", ret);
		goto err_free_irqs;
	}
	sim->cpuhp_state = ret;
	return 0;

err_free_irqs:
	hvsim_irq_free(sim, i);
	pci_free_irq_vectors(pdev);
	sim->nr_vectors = 0;
	return ret;
}

/* Mirror of hvsim_irq_init().  Process context; irq_disable already ran. */
void hvsim_irq_uninit(struct hvsim_dev *sim)
{
	if (sim->cpuhp_state >= 0) {
		cpuhp_remove_state_nocalls(sim->cpuhp_state);
		sim->cpuhp_state = -1;
	}
	hvsim_irq_free(sim, sim->nr_vectors);
	/* No handler runs any more; let the IPIs it sent finish. */
	hvsim_wait_forwards();
	pci_free_irq_vectors(sim->pdev);
	sim->nr_vectors = 0;
}

/* Platform op: see struct hv_platform.  Does not sleep. */
int hvsim_irq_enable(void (*isr)(void), u8 *vector)
{
	struct hvsim_dev *sim = READ_ONCE(hvsim);
	unsigned long flags;

	if (!sim)
		return -ENODEV;
	if (!isr)
		return -EINVAL;

	spin_lock_irqsave(&hvsim_irq_lock, flags);
	if (hvsim_irq_on) {
		spin_unlock_irqrestore(&hvsim_irq_lock, flags);
		return -EBUSY;
	}
	/*
	 * The SINTs are unmasked only after this returns, so no interrupt
	 * that matters can come before the handlers see @isr.
	 */
	WRITE_ONCE(hvsim_isr, isr);
	hvsim_irq_on = true;
	spin_unlock_irqrestore(&hvsim_irq_lock, flags);

	*vector = HVSIM_SINT_VECTOR;
	return 0;
}

/*
 * Platform op: on return the ISR is not running and will not be called
 * again.  Does not sleep (synchronize_hardirq() spins); must not be called
 * from the ISR.
 */
void hvsim_irq_disable(void)
{
	struct hvsim_dev *sim = READ_ONCE(hvsim);
	unsigned long flags;
	u32 i;

	if (!sim)
		return;

	spin_lock_irqsave(&hvsim_irq_lock, flags);
	if (!hvsim_irq_on) {
		spin_unlock_irqrestore(&hvsim_irq_lock, flags);
		return;
	}
	WRITE_ONCE(hvsim_isr, NULL);
	/*
	 * A vector handler that read the old callback before the store
	 * above finishes before synchronize_hardirq() returns; later ones
	 * read NULL.  A forwarding IPI handler either counted itself
	 * running before our load below (we wait for it) or loads hvsim_isr
	 * after our store (it reads NULL): each side orders its store
	 * before its load with a full barrier.  Neither wait depends on
	 * this CPU, so both are fine with interrupts disabled.
	 */
	smp_mb();
	for (i = 0; i < sim->nr_vectors; i++)
		synchronize_hardirq(sim->vps[i].irq);
	while (atomic_read(&hvsim_forwards_running))
		cpu_relax();
	hvsim_irq_on = false;
	spin_unlock_irqrestore(&hvsim_irq_lock, flags);
}
