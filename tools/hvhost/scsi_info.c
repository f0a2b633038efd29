// SPDX-License-Identifier: GPL-2.0
/*
 * The informational SCSI commands of the target emulation: INQUIRY
 * (standard data and VPD pages 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2), READ
 * CAPACITY 10/16, MODE SENSE 6/10 (caching page) and REPORT LUNS.  Each
 * builds its data in a local buffer and hands it to scsi_data_in(), which
 * cuts it to the allocation length and the buffer (the caller turns a
 * short transfer into DATA_OVERRUN).
 */
#include <string.h>

#include "scsi_disk.h"

#define INQ_STD_LEN	36
#define VPD_MAX		64
#define PQ_ABSENT	0x7f		/* peripheral qualifier 3, device type 0x1f */

static void invalid_field(struct scsi_cmd *c)
{
	scsi_sense(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB, 0);
}

static void pad_copy(uint8_t *dst, const char *s, size_t n)
{
	size_t l = strlen(s);

	memset(dst, ' ', n);
	memcpy(dst, s, l < n ? l : n);
}

static void inq_standard(struct scsi_cmd *c, uint8_t pdt, uint32_t alloc)
{
	uint8_t d[INQ_STD_LEN] = { 0 };

	d[0] = pdt;
	d[2] = 0x06;		/* SPC-4 */
	d[3] = 0x12;		/* HISUP, response data format 2 */
	d[4] = INQ_STD_LEN - 5;
	d[7] = 0x02;		/* CMDQUE */
	pad_copy(d + 8, "Msft", 8);
	pad_copy(d + 16, "Virtual Disk", 16);
	pad_copy(d + 32, "1.0", 4);
	scsi_data_in(c, d, sizeof(d), alloc);
}

/* VPD page @page of LUN @l into @d (header included); its length, or 0 if unknown. */
static uint32_t vpd_page(struct scsi_target *t, struct scsi_lun *l, uint8_t page, uint8_t *d)
{
	static const uint8_t pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	uint32_t n;

	d[1] = page;
	switch (page) {
	case 0x00:
		memcpy(d + 4, pages, sizeof(pages));
		n = sizeof(pages);
		break;
	case 0x80:
		n = (uint32_t)strlen(l->serial);
		memcpy(d + 4, l->serial, n);
		break;
	case 0x83:
		/* NAA 6 (binary, LUN association), then T10 vendor id (ASCII). */
		d[4] = 0x01;
		d[5] = 0x03;
		d[7] = 16;
		scsi_put_be64(d + 8, l->naa);
		scsi_put_be64(d + 16, (uint64_t)t->id << 32 | l->number);
		d[24] = 0x02;
		d[25] = 0x01;
		d[27] = 8 + (uint8_t)strlen(l->serial);
		pad_copy(d + 28, "Msft", 8);
		memcpy(d + 36, l->serial, strlen(l->serial));
		n = 24 + d[27];
		break;
	case 0xb0:
		n = 0x3c;
		d[4] = 0x01;					/* WSNZ */
		scsi_put_be16(d + 6, 8);			/* optimal granularity: 4 KiB */
		scsi_put_be32(d + 8, t->max_transfer / SCSI_BLOCK_SIZE);
		scsi_put_be32(d + 12, t->max_transfer / SCSI_BLOCK_SIZE);
		scsi_put_be32(d + 20, SCSI_MAX_UNMAP_BLOCKS);
		scsi_put_be32(d + 24, SCSI_MAX_UNMAP_DESCS);
		scsi_put_be32(d + 28, 8);			/* unmap granularity: 4 KiB */
		scsi_put_be64(d + 36, SCSI_MAX_WRITE_SAME);
		break;
	case 0xb1:
		n = 0x3c;
		scsi_put_be16(d + 4, 1);			/* non-rotating medium */
		break;
	case 0xb2:
		n = 4;
		d[5] = 0xc0;					/* LBPU, LBPWS */
		d[6] = 0x02;					/* thin provisioned */
		break;
	default:
		return 0;
	}
	scsi_put_be16(d + 2, (uint16_t)n);
	return n + 4;
}

void scsi_inquiry(struct scsi_target *t, struct scsi_cmd *c)
{
	uint32_t alloc = scsi_be16(c->cdb + 3), n;
	bool evpd = c->cdb[1] & 0x01;
	uint8_t d[VPD_MAX] = { 0 };
	struct scsi_lun *l;

	if (!evpd && c->cdb[2]) {
		invalid_field(c);
		return;
	}
	l = c->addr_ok ? scsi_lun_get(t, c->lun) : NULL;
	if (!l) {			/* no LUN here: say so in the data */
		if (!evpd) {
			inq_standard(c, PQ_ABSENT, alloc);
			return;
		}
		d[0] = PQ_ABSENT;
		d[1] = c->cdb[2];
		scsi_data_in(c, d, 4, alloc);
		return;
	}
	if (!evpd) {
		inq_standard(c, 0x00, alloc);
	} else {
		n = vpd_page(t, l, c->cdb[2], d);
		if (n)
			scsi_data_in(c, d, n, alloc);
		else
			invalid_field(c);
	}
	scsi_lun_put(l);
}

void scsi_read_capacity(struct scsi_lun *l, struct scsi_cmd *c, bool sixteen)
{
	uint64_t last = l->blocks - 1;
	uint8_t d[32] = { 0 };

	if (!sixteen) {
		scsi_put_be32(d, last > UINT32_MAX ? UINT32_MAX : (uint32_t)last);
		scsi_put_be32(d + 4, SCSI_BLOCK_SIZE);
		scsi_data_in(c, d, 8, 8);
		return;
	}
	scsi_put_be64(d, last);
	scsi_put_be32(d + 8, SCSI_BLOCK_SIZE);
	d[14] = 0xc0;		/* LBPME, LBPRZ: unmapped blocks read as zeros */
	scsi_data_in(c, d, sizeof(d), scsi_be32(c->cdb + 10));
}

/* The caching mode page (08h) for page control @pc into @p.  Its length. */
static uint32_t caching_page(uint8_t *p, uint8_t pc)
{
	memset(p, 0, 20);
	p[0] = 0x08;
	p[1] = 0x12;
	if (pc != 1)		/* current / default / saved: write cache on */
		p[2] = 0x04;	/* WCE; changeable values (pc 1) stay 0 */
	return 20;
}

void scsi_mode_sense(struct scsi_lun *l, struct scsi_cmd *c, bool ten)
{
	uint8_t d[64] = { 0 }, page = c->cdb[2] & 0x3f, pc = c->cdb[2] >> 6, sub = c->cdb[3];
	uint32_t hdr = ten ? 8 : 4, n, alloc = ten ? scsi_be16(c->cdb + 7) : c->cdb[4];
	bool dbd = c->cdb[1] & 0x08;

	if (pc == 3 || (page != 0x08 && page != 0x3f) || (sub && !(page == 0x3f && sub == 0xff))) {
		invalid_field(c);	/* saved values, other pages, subpages */
		return;
	}
	n = hdr;
	if (!dbd) {
		scsi_put_be32(d + n, l->blocks > UINT32_MAX ? UINT32_MAX : (uint32_t)l->blocks);
		scsi_put_be32(d + n + 4, SCSI_BLOCK_SIZE);	/* density 0 in the top byte */
		n += 8;
	}
	n += caching_page(d + n, pc);
	if (ten) {
		scsi_put_be16(d, (uint16_t)(n - 2));
		d[3] = 0x10;		/* DPOFUA */
		d[7] = dbd ? 0 : 8;
	} else {
		d[0] = (uint8_t)(n - 1);
		d[2] = 0x10;
		d[3] = dbd ? 0 : 8;
	}
	scsi_data_in(c, d, n, alloc);
}

void scsi_report_luns(struct scsi_target *t, struct scsi_cmd *c)
{
	uint8_t luns[SCSI_NR_LUNS], d[8 + 8 * SCSI_NR_LUNS] = { 0 };
	uint32_t alloc = scsi_be32(c->cdb + 6), i, n = 0;

	if (c->cdb[2] > 2 || alloc < 16) {
		invalid_field(c);
		return;
	}
	if (c->addr_ok)
		n = scsi_target_luns(t, luns);
	scsi_put_be32(d, 8 * n);
	for (i = 0; i < n; i++)
		d[8 + 8 * i + 1] = luns[i];	/* peripheral addressing, bus 0 */
	scsi_data_in(c, d, 8 + 8 * n, alloc);
}
