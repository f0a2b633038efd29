// SPDX-License-Identifier: GPL-2.0
/*
 * hv_sim: the sim platform backend.  Binds to QEMU's ivshmem-doorbell
 * device whose server is hvhost, checks the shared-memory header hvhost
 * wrote, and registers the "sim" platform with hv_common.
 *
 * One device at a time: the platform ops have no context argument and use
 * the global hvsim, valid from probe until remove has unregistered the
 * platform.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/cpumask.h>
#include <hv/hv_core.h>

#include "sim.h"

struct hvsim_dev *hvsim;

static struct hv_platform hvsim_platform = {
	.name = "sim",
	.owner = THIS_MODULE,
	.hypercall = hvsim_hypercall,
	.fast_hypercall = hvsim_fast_hypercall,
	.get_register = hvsim_get_register,
	.set_register = hvsim_set_register,
	.irq_enable = hvsim_irq_enable,
	.irq_disable = hvsim_irq_disable,
};

/*
 * Check the header hvhost wrote before starting QEMU.  @sim->hdr is a copy
 * taken once, so the host cannot change it between check and use.
 */
static int hvsim_check_header(struct hvsim_dev *sim)
{
	struct device *dev = &sim->pdev->dev;
	const struct hvsim_shm_header *h = &sim->hdr;
	u32 magic = le32_to_cpu(h->magic);
	u32 abi = le32_to_cpu(h->abi_version);
	u32 nr_vps = le32_to_cpu(h->nr_vps);
	u32 mb_off = le32_to_cpu(h->mailbox_offset);
	u32 mb_size = le32_to_cpu(h->mailbox_size);

	if (magic != HVSIM_MAGIC) {
		dev_err(dev, "shared memory magic is %#x, not %#x: the ivshmem server is not hvhost\n",
			magic, HVSIM_MAGIC);
		return -ENODEV;
	}
	if (abi != HVSIM_ABI_VERSION) {
		dev_err(dev, "hvhost speaks sim ABI %u, this module ABI %u: rebuild one of them\n",
			abi, HVSIM_ABI_VERSION);
		return -EPROTO;
	}
	if (nr_vps < 1 || nr_vps > HVSIM_MAX_VPS) {
		dev_err(dev, "hvhost reports %u VPs, supported 1..%u\n",
			nr_vps, HVSIM_MAX_VPS);
		return -EINVAL;
	}
	if (mb_off < sizeof(struct hvsim_shm_header) ||
	    mb_size < sizeof(struct hvsim_mailbox) ||
	    !IS_ALIGNED(mb_off, 8) || !IS_ALIGNED(mb_size, 8) ||
	    (u64)mb_off + (u64)nr_vps * mb_size > HVSIM_SHM_SIZE) {
		dev_err(dev, "bad mailbox layout from hvhost: offset %#x, size %#x, %u VPs in %#x bytes\n",
			mb_off, mb_size, nr_vps, HVSIM_SHM_SIZE);
		return -EINVAL;
	}
	sim->nr_vps = nr_vps;
	return 0;
}

static void hvsim_fill_features(struct hvsim_dev *sim)
{
	const struct hvsim_shm_header *h = &sim->hdr;
	struct hv_platform_features *f = &hvsim_platform.features;

	f->privileges = le64_to_cpu(h->privileges);
	f->misc = le32_to_cpu(h->misc_features);
	f->recommendations = le32_to_cpu(h->recommendations);
	f->max_vps = le32_to_cpu(h->max_vps);
	f->version_build = le32_to_cpu(h->hv_version_build);
	f->version_major_minor = le32_to_cpu(h->hv_version_major_minor);
}

static int hvsim_map(struct hvsim_dev *sim)
{
	struct pci_dev *pdev = sim->pdev;
	resource_size_t len = pci_resource_len(pdev, HVSIM_PCI_BAR_SHM);
	int ret;

	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret) {
		dev_err(&pdev->dev, "cannot claim the BARs: %d\n", ret);
		return ret;
	}
	sim->regs = pci_iomap(pdev, HVSIM_PCI_BAR_REGS, 0);
	if (!sim->regs) {
		dev_err(&pdev->dev, "cannot map BAR%d\n", HVSIM_PCI_BAR_REGS);
		ret = -ENOMEM;
		goto err_release;
	}
	if (len < HVSIM_SHM_SIZE) {
		dev_err(&pdev->dev, "BAR%d is %pa bytes, hvhost's shared memory is %#x\n",
			HVSIM_PCI_BAR_SHM, &len, HVSIM_SHM_SIZE);
		ret = -ENODEV;
		goto err_unmap_regs;
	}
	/*
	 * BAR2 is RAM shared with hvhost, not device registers: map it
	 * write-back so the mailbox protocol can use ordinary loads, stores
	 * and acquire/release ordering.
	 */
	sim->shm = memremap(pci_resource_start(pdev, HVSIM_PCI_BAR_SHM),
			    HVSIM_SHM_SIZE, MEMREMAP_WB);
	if (!sim->shm) {
		dev_err(&pdev->dev, "cannot map BAR%d\n", HVSIM_PCI_BAR_SHM);
		ret = -ENOMEM;
		goto err_unmap_regs;
	}
	return 0;

err_unmap_regs:
	pci_iounmap(pdev, sim->regs);
err_release:
	pci_release_regions(pdev);
	return ret;
}

static void hvsim_unmap(struct hvsim_dev *sim)
{
	memunmap(sim->shm);
	pci_iounmap(sim->pdev, sim->regs);
	pci_release_regions(sim->pdev);
}

static int hvsim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct hvsim_dev *sim;
	int ret;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->pdev = pdev;
	sim->cpuhp_state = -1;
	if (cmpxchg(&hvsim, NULL, sim)) {
		dev_err(&pdev->dev, "another hv_sim device is already bound; ignoring this one\n");
		ret = -EBUSY;
		goto err_free;
	}

	ret = pci_enable_device(pdev);
	if (ret) {
		dev_err(&pdev->dev, "cannot enable the device: %d\n", ret);
		goto err_unclaim;
	}
	/* Without bus mastering MSI-X writes never leave the device. */
	pci_set_master(pdev);

	ret = hvsim_map(sim);
	if (ret)
		goto err_disable;

	memcpy(&sim->hdr, sim->shm, sizeof(sim->hdr));
	ret = hvsim_check_header(sim);
	if (ret)
		goto err_unmap;
	if (nr_cpu_ids > sim->nr_vps)
		dev_warn(&pdev->dev,
			 "%u possible CPUs but hvhost has %u VPs: CPUs %u.. have no mailbox and their calls will fail\n",
			 nr_cpu_ids, sim->nr_vps, sim->nr_vps);

	sim->vps = kcalloc(sim->nr_vps, sizeof(*sim->vps), GFP_KERNEL);
	if (!sim->vps) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	ret = hvsim_mailbox_init(sim);
	if (ret)
		goto err_free_vps;

	ret = hvsim_irq_init(sim);
	if (ret)
		goto err_free_vps;

	hvsim_debugfs_init(sim);

	hvsim_fill_features(sim);
	ret = hvcore_register_platform(&hvsim_platform);
	if (ret) {
		dev_err(&pdev->dev, "hv_common refused the sim platform: %d\n", ret);
		goto err_debugfs;
	}

	pci_set_drvdata(pdev, sim);
	dev_info(&pdev->dev, "%.*s: %u VPs, %u vectors, peer id %u\n",
		 (int)strnlen((const char *)sim->hdr.host_name,
			      sizeof(sim->hdr.host_name)),
		 (const char *)sim->hdr.host_name, sim->nr_vps, sim->nr_vectors,
		 readl(sim->regs + HVSIM_REG_IV_POSITION));
	return 0;

err_debugfs:
	hvsim_debugfs_uninit(sim);
	hvsim_irq_uninit(sim);
err_free_vps:
	kfree(sim->vps);
err_unmap:
	hvsim_unmap(sim);
err_disable:
	pci_clear_master(pdev);
	pci_disable_device(pdev);
err_unclaim:
	WRITE_ONCE(hvsim, NULL);
err_free:
	kfree(sim);
	return ret;
}

/* Exit mirrors probe: the platform goes first, so no op runs afterwards. */
static void hvsim_remove(struct pci_dev *pdev)
{
	struct hvsim_dev *sim = pci_get_drvdata(pdev);

	hvcore_unregister_platform(&hvsim_platform);
	hvsim_debugfs_uninit(sim);
	hvsim_irq_uninit(sim);
	kfree(sim->vps);
	hvsim_unmap(sim);
	pci_clear_master(pdev);
	pci_disable_device(pdev);
	WRITE_ONCE(hvsim, NULL);
	kfree(sim);
}

static const struct pci_device_id hvsim_pci_ids[] = {
	{ PCI_DEVICE(HVSIM_PCI_VENDOR, HVSIM_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hvsim_pci_ids);

static struct pci_driver hvsim_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = hvsim_pci_ids,
	.probe = hvsim_probe,
	.remove = hvsim_remove,
};
module_pci_driver(hvsim_pci_driver);

MODULE_DESCRIPTION("Hyper-V sim platform: hvhost through ivshmem-doorbell");
MODULE_LICENSE("GPL");
