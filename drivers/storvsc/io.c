// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: the I/O path.  queuecommand builds an EXECUTE_SRB, describes
 * the data buffer as ONE GPA range (the host layer's virt_boundary makes
 * the scatterlist gap-free in 4 KiB pages) and sends it on the submitting
 * CPU's channel with the command's private data as the request pointer.
 * The completion maps SRB and SCSI status to a SCSI result.
 *
 * Back-pressure: a full ring (-EAGAIN) or no free request id (-EBUSY) on
 * the CPU's channel and on one other gives SCSI_MLQUEUE_HOST_BUSY: the
 * midlayer retries later; nothing is dropped and nobody spins.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_dbg.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_proto.h>

#include "storvsc.h"

/*
 * Commands hosts are known to mishandle (Linux drivers/scsi/storvsc_drv.c,
 * storvsc_scsi_cmd_ok() and storvsc_device_configure()).
 */
static bool storvsc_cmd_allowed(struct storvsc_dev *dev, struct scsi_cmnd *scmd)
{
	switch (scmd->cmnd[0]) {
	case SET_WINDOW:		/* smartd's; hosts do not handle it */
		return false;
	case WRITE_SAME:		/* WRITE SAME(10): only hosts >= 6.2 */
		return dev->version >= VSTOR_VERSION_WIN10;
	default:
		return true;
	}
}

/*
 * Fill @pfns (room for @room) with the pages of @scmd's data, one GPA
 * range; its first byte's offset into @desc.  Every element but the first
 * starts on a 4 KiB boundary and every one but the last ends on one;
 * checked, not assumed.  Returns 0 or -EINVAL.
 */
static int storvsc_fill_pfns(struct scsi_cmnd *scmd, u64 *pfns, u32 room,
			     struct vmbus_gpa_desc *desc)
{
	unsigned int count = scsi_sg_count(scmd), i;
	u32 len = scsi_bufflen(scmd), total = 0, nr = 0;
	struct scatterlist *sg;
	phys_addr_t pa;
	u64 pfn, last;

	desc->byte_offset = 0;
	scsi_for_each_sg(scmd, sg, count, i) {
		pa = sg_phys(sg);
		if (!sg->length || (i && pa % HV_PAGE_SIZE) ||
		    (i + 1 < count && (pa + sg->length) % HV_PAGE_SIZE))
			return -EINVAL;
		if (!i)
			desc->byte_offset = pa % HV_PAGE_SIZE;
		last = (pa + sg->length - 1) >> HV_PAGE_SHIFT;
		for (pfn = pa >> HV_PAGE_SHIFT; pfn <= last; pfn++) {
			if (nr == room)
				return -EINVAL;
			pfns[nr++] = pfn;
		}
		total += sg->length;
	}
	if (total != len || nr != VMBUS_PAGES_SPANNED(desc->byte_offset, len))
		return -EINVAL;
	desc->byte_count = len;
	desc->nr_pfns = nr;
	desc->pfns = pfns;
	return 0;
}

/*
 * Describe the data of @scmd as one GPA range in @desc: the PFNs in @cmd
 * when they fit, else in an allocation the caller frees after the send
 * (desc->pfns != cmd->pfns).  Returns 0, -ENOMEM (try again later) or
 * -EINVAL.  Atomic context.
 */
static int storvsc_map_data(struct scsi_cmnd *scmd, struct storvsc_cmd *cmd,
			    struct vmbus_gpa_desc *desc)
{
	/* The most pages the data can span, whatever its offset. */
	u32 room = DIV_ROUND_UP(scsi_bufflen(scmd), HV_PAGE_SIZE) + 1;
	u64 *pfns;
	int ret;

	if (room <= STORVSC_INLINE_PFNS)
		return storvsc_fill_pfns(scmd, cmd->pfns, STORVSC_INLINE_PFNS, desc);
	if (room > STORVSC_MAX_PFNS)
		return -EINVAL;
	pfns = kmalloc_array(room, sizeof(*pfns), GFP_ATOMIC);
	if (!pfns)
		return -ENOMEM;
	ret = storvsc_fill_pfns(scmd, pfns, room, desc);
	if (ret)
		kfree(pfns);
	return ret;
}

/* The EXECUTE_SRB packet of @scmd.  Returns 0 or -EINVAL (unsupported). */
static int storvsc_build_srb(struct storvsc_dev *dev, struct scsi_cmnd *scmd,
			     struct vstor_packet *pkt)
{
	struct vmscsi_request *srb = &pkt->srb;
	struct scsi_device *sdev = scmd->device;
	u32 flags = SRB_FLAGS_DISABLE_SYNCH_TRANSFER;

	if (scmd->cmd_len > VSTOR_CDB_MAX)
		return -EINVAL;
	memset(pkt, 0, sizeof(*pkt));
	pkt->operation = cpu_to_le32(VSTOR_OP_EXECUTE_SRB);
	pkt->flags = cpu_to_le32(VSTOR_FLAG_REQUEST_COMPLETION);
	srb->length = cpu_to_le16(sizeof(*srb));
	srb->port_number = dev->shost->host_no;
	srb->path_id = sdev->channel;
	srb->target_id = sdev->id;
	srb->lun = sdev->lun;
	srb->cdb_length = scmd->cmd_len;
	memcpy(srb->cdb, scmd->cmnd, scmd->cmd_len);
	srb->sense_info_length = VSTOR_SENSE_SIZE;
	srb->data_transfer_length = cpu_to_le32(scsi_bufflen(scmd));
	srb->time_out_value = cpu_to_le32(scsi_cmd_to_rq(scmd)->timeout / HZ);

	if (sdev->tagged_supported) {
		flags |= SRB_FLAGS_QUEUE_ACTION_ENABLE | SRB_FLAGS_NO_QUEUE_FREEZE;
		srb->queue_tag = STORVSC_QUEUE_TAG_UNTAGGED;
		srb->queue_action = STORVSC_QUEUE_ACTION_SIMPLE;
	}
	switch (scmd->sc_data_direction) {
	case DMA_TO_DEVICE:
		srb->data_in = VSTOR_DATA_WRITE;
		flags |= SRB_FLAGS_DATA_OUT;
		break;
	case DMA_FROM_DEVICE:
		srb->data_in = VSTOR_DATA_READ;
		flags |= SRB_FLAGS_DATA_IN;
		break;
	case DMA_NONE:
		srb->data_in = VSTOR_DATA_UNKNOWN;
		break;
	default:
		return -EINVAL;	/* bidirectional: VSTOR has one buffer */
	}
	srb->srb_flags = cpu_to_le32(flags);
	return 0;
}

/* One send of @pkt on @sc; the command is marked in flight on @sc first. */
static int storvsc_send_on(struct storvsc_chan *sc, struct storvsc_cmd *cmd,
			   const struct vstor_packet *pkt, const struct vmbus_gpa_desc *desc)
{
	unsigned long mine = (unsigned long)sc | STORVSC_CMD_INFLIGHT;
	int ret;

	/* Published to the reader by the channel lock the send takes. */
	WRITE_ONCE(cmd->state, mine);
	if (desc)
		ret = vmbus_send_gpa(sc->chan, desc, 1, pkt, sizeof(*pkt),
				     VMBUS_SEND_COMPLETION, cmd);
	else
		ret = vmbus_send_inband(sc->chan, pkt, sizeof(*pkt),
					VMBUS_SEND_COMPLETION, cmd);
	if (!ret) {
		atomic64_inc(&sc->ios);
		return 0;
	}
	/* Not sent.  If rescind or remove claimed it meanwhile, it is theirs. */
	if (cmpxchg(&cmd->state, mine, 0) != mine)
		return 0;
	return ret;
}

/* The CPU's channel, then one other; a subchannel that is gone is skipped. */
static int storvsc_send(struct storvsc_dev *dev, struct storvsc_cmd *cmd,
			const struct vstor_packet *pkt, const struct vmbus_gpa_desc *desc)
{
	struct storvsc_chan *first, *alt = NULL;
	struct storvsc_chanmap *map;
	unsigned int cpu, k;
	int ret = -ENODEV;

	rcu_read_lock();
	map = rcu_dereference(dev->map);
	if (!map || !map->nr)
		goto out;
	cpu = raw_smp_processor_id();	/* a hint: migrating is harmless */
	first = map->by_cpu[cpu];
	for (k = 1; k < map->nr; k++) {
		alt = map->all[(cpu + k) % map->nr];
		if (alt != first)
			break;
		alt = NULL;
	}
	ret = storvsc_send_on(first, cmd, pkt, desc);
	if (ret && ret != -EINVAL && ret != -EMSGSIZE && alt)
		ret = storvsc_send_on(alt, cmd, pkt, desc);
out:
	rcu_read_unlock();
	return ret;
}

static void storvsc_finish_now(struct scsi_cmnd *scmd, int host_byte)
{
	set_host_byte(scmd, host_byte);
	scsi_set_resid(scmd, scsi_bufflen(scmd));
	scsi_done(scmd);
}

/* blk-mq dispatch; must not sleep.  Returns 0 or SCSI_MLQUEUE_HOST_BUSY. */
int storvsc_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *scmd)
{
	struct storvsc_dev *dev = shost_priv(shost);
	struct storvsc_cmd *cmd = scsi_cmd_priv(scmd);
	struct vmbus_gpa_desc desc, *dp = NULL;
	struct vstor_packet pkt;
	int ret;

	cmd->req.kind = STORVSC_REQ_CMD;
	cmd->scmd = scmd;
	WRITE_ONCE(cmd->state, 0);
	scmd->result = 0;
	if (READ_ONCE(dev->dead)) {
		storvsc_finish_now(scmd, DID_NO_CONNECT);
		return 0;
	}
	if (!storvsc_cmd_allowed(dev, scmd) || storvsc_build_srb(dev, scmd, &pkt)) {
		storvsc_finish_now(scmd, DID_ERROR);
		return 0;
	}
	if (scsi_bufflen(scmd)) {
		ret = storvsc_map_data(scmd, cmd, &desc);
		if (ret == -ENOMEM) {
			atomic64_inc(&dev->stats.busy_returns);
			return SCSI_MLQUEUE_HOST_BUSY;
		}
		if (ret) {
			WARN_ONCE(1, "storvsc: scatterlist with a gap or too long (%u bytes)\n",
				  scsi_bufflen(scmd));
			storvsc_finish_now(scmd, DID_ERROR);
			return 0;
		}
		dp = &desc;
	}

	ret = storvsc_send(dev, cmd, &pkt, dp);
	if (dp && dp->pfns != cmd->pfns)
		kfree(dp->pfns);	/* the send copied them into the ring */
	switch (ret) {
	case 0:
		atomic64_inc(&dev->stats.ios);
		return 0;
	case -EAGAIN:
	case -EBUSY:
		atomic64_inc(&dev->stats.busy_returns);
		return SCSI_MLQUEUE_HOST_BUSY;
	case -ENODEV:
	case -EIO:
		/* A subchannel going away: the next try uses the new map. */
		if (!READ_ONCE(dev->dead) && !vmbus_chan_rescinded(dev->primary->chan)) {
			atomic64_inc(&dev->stats.busy_returns);
			return SCSI_MLQUEUE_HOST_BUSY;
		}
		storvsc_finish_now(scmd, DID_NO_CONNECT);
		return 0;
	default:
		storvsc_log(dev, STORVSC_LOG_ERROR, "cmd 0x%02x not sent: %d\n",
			    scmd->cmnd[0], ret);
		storvsc_finish_now(scmd, DID_ERROR);
		return 0;
	}
}

/*
 * An error SRB status: set the host byte (the status byte is set already).
 * Rescans and LUN removal are left to the rescan work.  Softirq context.
 */
static void storvsc_srb_error(struct storvsc_dev *dev, struct scsi_cmnd *scmd, u8 srb_status)
{
	struct scsi_sense_hdr sshdr;

	switch (SRB_STATUS_CODE(srb_status)) {
	case SRB_STATUS_ERROR:
	case SRB_STATUS_ABORTED:
	case SRB_STATUS_INVALID_REQUEST:
	case SRB_STATUS_INTERNAL_ERROR:
		if (srb_status & SRB_STATUS_AUTOSENSE_VALID) {
			if (scsi_normalize_sense(scmd->sense_buffer, SCSI_SENSE_BUFFERSIZE,
						 &sshdr) &&
			    ((sshdr.asc == 0x2a && sshdr.ascq == 0x09) ||
			     (sshdr.asc == 0x3f && sshdr.ascq != 0x03 && sshdr.ascq != 0x0e))) {
				/* Capacity or parameters changed: re-read, retry. */
				set_host_byte(scmd, DID_REQUEUE);
				storvsc_queue_rescan(dev, true);
			}
			return;		/* the midlayer acts on the sense */
		}
		switch (scmd->cmnd[0]) {
		case ATA_12:
		case ATA_16:
			set_host_byte(scmd, DID_PASSTHROUGH);
			return;
		case TEST_UNIT_READY:
			return;		/* some hosts fail TUR like this */
		default:
			set_host_byte(scmd, DID_ERROR);
			return;
		}
	case SRB_STATUS_BUSY:
		set_host_byte(scmd, DID_BUS_BUSY);
		return;
	case SRB_STATUS_INVALID_LUN:
	case SRB_STATUS_NO_DEVICE:
	case SRB_STATUS_SELECTION_TIMEOUT:
		set_host_byte(scmd, DID_NO_CONNECT);
		storvsc_queue_rescan(dev, false);	/* tests the LUN, removes it */
		return;
	case SRB_STATUS_DATA_OVERRUN:
		return;			/* a residual, see the caller */
	case SRB_STATUS_BUS_RESET:
	case SRB_STATUS_REQUEST_FLUSHED:
		set_host_byte(scmd, DID_RESET);
		return;
	default:
		if (!scmd->result)
			set_host_byte(scmd, DID_ERROR);
		return;
	}
}

/* Result, sense and residual of @scmd from the completion's @srb. */
static void storvsc_set_result(struct storvsc_dev *dev, struct scsi_cmnd *scmd,
			       const struct vmscsi_request *srb)
{
	u8 srb_status = srb->srb_status, scsi_status = srb->scsi_status;
	u32 xfer = le32_to_cpu(srb->data_transfer_length);
	u32 buflen = scsi_bufflen(scmd);
	u8 code = SRB_STATUS_CODE(srb_status);

	/*
	 * Hosts fail some VPD INQUIRY (page 0x80) and MODE SENSE (page
	 * 0x1c) requests they should not: count those as success with no
	 * data (Linux drivers/scsi/storvsc_drv.c,
	 * storvsc_on_io_completion()), unless the status says the LUN is
	 * not there.  A short transfer (DATA_OVERRUN) is no failure: its
	 * data and residual stand (the midlayer zeroes the residual of the
	 * buffer).  A failed standard INQUIRY stays a failure: made a
	 * success it would read as a direct-access LUN of zeros and the
	 * scan would attach a phantom.
	 */
	if (((scmd->cmnd[0] == INQUIRY && (scmd->cmnd[1] & 0x01)) ||
	     scmd->cmnd[0] == MODE_SENSE || scmd->cmnd[0] == MODE_SENSE_10) &&
	    srb_status != SRB_STATUS_SUCCESS && code != SRB_STATUS_DATA_OVERRUN &&
	    code != SRB_STATUS_INVALID_LUN &&
	    code != SRB_STATUS_NO_DEVICE && code != SRB_STATUS_SELECTION_TIMEOUT) {
		srb_status = SRB_STATUS_SUCCESS;
		scsi_status = VSTOR_SCSI_GOOD;
		xfer = 0;
	}
	scmd->result = scsi_status;
	if (scsi_status == VSTOR_SCSI_CHECK_CONDITION &&
	    (srb_status & SRB_STATUS_AUTOSENSE_VALID))
		memcpy(scmd->sense_buffer, srb->sense_data,
		       min3(srb->sense_info_length, VSTOR_SENSE_SIZE, SCSI_SENSE_BUFFERSIZE));
	if (scsi_status || srb_status != SRB_STATUS_SUCCESS)
		storvsc_log(dev, scmd->cmnd[0] == TEST_UNIT_READY ? STORVSC_LOG_DEBUG :
			    STORVSC_LOG_WARN, "%u:%u:%llu cmd 0x%02x: scsi 0x%02x srb 0x%02x\n",
			    scmd->device->channel, scmd->device->id, scmd->device->lun,
			    scmd->cmnd[0], srb->scsi_status, srb->srb_status);

	/*
	 * Raw byte compares, flags included, as Linux drivers/scsi/storvsc_drv.c,
	 * storvsc_command_completion().
	 */
	if (srb_status != SRB_STATUS_SUCCESS) {
		storvsc_srb_error(dev, scmd, srb_status);
		if (srb_status != SRB_STATUS_DATA_OVERRUN)
			xfer = 0;
	}
	scsi_set_resid(scmd, buflen - min(xfer, buflen));
}

/*
 * The callback: the host completed @cmd, sent on @sc; @resp is NULL when
 * the completion was malformed.  Softirq context.
 */
void storvsc_io_complete(struct storvsc_chan *sc, struct storvsc_cmd *cmd,
			 const struct vstor_packet *resp)
{
	unsigned long mine = (unsigned long)sc | STORVSC_CMD_INFLIGHT;
	struct storvsc_dev *dev = sc->dev;
	struct scsi_cmnd *scmd = cmd->scmd;

	/* Only we held the id, so nobody else can have claimed it. */
	if (WARN_ON_ONCE(cmpxchg(&cmd->state, mine, 0) != mine))
		return;
	atomic64_inc(&dev->stats.completions);
	if (!resp || le32_to_cpu(resp->operation) != VSTOR_OP_COMPLETE_IO) {
		if (resp)
			storvsc_bad_packet(dev, sc, "completion is not COMPLETE_IO (its command fails)");
		storvsc_finish_now(scmd, DID_ERROR);
		return;
	}
	/* Used clamped, but a host that claims more than there is room for lies. */
	if (le32_to_cpu(resp->srb.data_transfer_length) > scsi_bufflen(scmd) ||
	    resp->srb.sense_info_length > VSTOR_SENSE_SIZE)
		storvsc_bad_packet(dev, sc, "completion claims more data or sense than asked for (clamped)");
	storvsc_set_result(dev, scmd, &resp->srb);
	scsi_done(scmd);
}
