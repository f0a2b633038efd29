// SPDX-License-Identifier: GPL-2.0
/*
 * GPADLs: GPADL_HEADER + GPADL_BODY reassembly, GPADL_CREATED, teardown.
 *
 * A GPADL has exactly one range in this slice.  The header says how many
 * range bytes (range_buflen = 8 + 8 * PFNs) will come; the header carries
 * the range descriptor and the first PFNs, each body more PFNs, until all
 * have arrived.  Every PFN must name a page inside guest RAM.  A header
 * that cannot be accepted, or a body that breaks its GPADL, is answered
 * with GPADL_CREATED and a failure status (the GPADL is forgotten); a body
 * for a handle not being built cannot be answered and is only counted.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus_srv.h"

#define GPADL_HDR_LEN	sizeof(struct vmbus_chanmsg_gpadl_header)
#define GPADL_BODY_LEN	sizeof(struct vmbus_chanmsg_gpadl_body)
#define RANGE_LEN	sizeof(struct vmbus_gpa_range)

static bool gpadl_complete(const struct vmbus_gpadl *g)
{
	return g->have == g->nr_pfns;
}

/* Any GPADL @handle, complete or not. */
static struct vmbus_gpadl *gpadl_lookup(struct vmbus_server *s, uint32_t handle)
{
	struct vmbus_gpadl *g;

	for (g = s->gpadls; g; g = g->next)
		if (g->handle == handle)
			return g;
	return NULL;
}

struct vmbus_gpadl *vmbus_gpadl_find(struct vmbus_server *s, uint32_t handle)
{
	struct vmbus_gpadl *g = gpadl_lookup(s, handle);

	return g && gpadl_complete(g) ? g : NULL;
}

unsigned int vmbus_gpadl_count(struct vmbus_server *s)
{
	struct vmbus_gpadl *g;
	unsigned int n = 0;

	for (g = s->gpadls; g; g = g->next)
		n += gpadl_complete(g);
	return n;
}

static void gpadl_unlink(struct vmbus_server *s, struct vmbus_gpadl *g)
{
	struct vmbus_gpadl **pp;

	for (pp = &s->gpadls; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			s->nr_gpadls--;
			free(g);
			return;
		}
	}
}

void vmbus_gpadl_free_all(struct vmbus_server *s)
{
	while (s->gpadls)
		gpadl_unlink(s, s->gpadls);
}

static void gpadl_send_created(struct vmbus_server *s, uint32_t relid, uint32_t handle,
			       uint32_t status)
{
	struct vmbus_chanmsg_gpadl_created r;

	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_CREATED);
	r.child_relid = htole32(relid);
	r.gpadl = htole32(handle);
	r.status = htole32(status);
	vmbus_send(s, &r, sizeof(r));
}

/* Refuse GPADL @g (already linked) or the request (@g NULL). */
static void gpadl_fail(struct vmbus_server *s, struct vmbus_gpadl *g, uint32_t relid,
		       uint32_t handle, const char *why)
{
	vmbus_proto_error(s, why, handle);
	if (g)
		gpadl_unlink(s, g);
	gpadl_send_created(s, relid, handle, VMBUS_SRV_STATUS_FAIL);
}

/*
 * Append the @n PFNs at @src (unaligned little-endian) to @g.  Returns NULL
 * or why they cannot be taken.
 */
static const char *gpadl_add_pfns(struct vmbus_server *s, struct vmbus_gpadl *g,
				  const uint8_t *src, uint32_t n)
{
	uint64_t pfn;
	uint32_t i;

	if (n > g->nr_pfns - g->have)
		return "more PFNs than range_buflen announced";
	for (i = 0; i < n; i++) {
		memcpy(&pfn, src + 8 * i, sizeof(pfn));
		pfn = le64toh(pfn);
		if (pfn >= (1ULL << (64 - HV_PAGE_SHIFT)) ||
		    !gm_range_ok(&s->p->mem, pfn << HV_PAGE_SHIFT, HV_PAGE_SIZE))
			return "PFN outside guest RAM";
		g->pfn[g->have++] = pfn;
	}
	return NULL;
}

/* Why the header's fixed part and range descriptor are unacceptable, or NULL. */
static const char *gpadl_check_header(struct vmbus_server *s,
				      const struct vmbus_chanmsg_gpadl_header *m,
				      const struct vmbus_gpa_range *r, uint32_t in_msg)
{
	uint32_t buflen = le16toh(m->range_buflen);
	uint32_t nr_pfns = (buflen - RANGE_LEN) / 8;
	uint64_t off = le32toh(r->byte_offset), count = le32toh(r->byte_count);

	if (!vmbus_dev_offered(s, le32toh(m->child_relid)))
		return "GPADL for a relid not offered";
	if (gpadl_lookup(s, le32toh(m->gpadl)))
		return "GPADL handle in use";
	if (s->nr_gpadls >= VMBUS_SRV_MAX_GPADLS)
		return "too many GPADLs";
	if (le16toh(m->range_count) != 1)
		return "GPADL range count is not 1";
	if (buflen < RANGE_LEN + 8 || (buflen - RANGE_LEN) % 8)
		return "bad range_buflen";
	if (in_msg > buflen || (in_msg - RANGE_LEN) % 8)
		return "range bytes in the header do not fit range_buflen";
	if (!count || off >= HV_PAGE_SIZE)
		return "bad byte_count or byte_offset";
	if ((off + count + HV_PAGE_SIZE - 1) / HV_PAGE_SIZE != nr_pfns)
		return "PFN count does not match byte_offset + byte_count";
	return NULL;
}

void vmbus_gpadl_header(struct vmbus_server *s, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_chanmsg_gpadl_header *m = (const void *)msg;
	uint32_t relid = le32toh(m->child_relid), handle = le32toh(m->gpadl);
	uint32_t in_msg = size - GPADL_HDR_LEN;	/* >= RANGE_LEN: minimum length */
	struct vmbus_gpa_range r;
	struct vmbus_gpadl *g;
	const char *why;
	uint32_t n;

	memcpy(&r, msg + GPADL_HDR_LEN, sizeof(r));
	why = gpadl_check_header(s, m, &r, in_msg);
	if (why) {
		gpadl_fail(s, NULL, relid, handle, why);
		return;
	}
	n = (le16toh(m->range_buflen) - RANGE_LEN) / 8;
	g = calloc(1, sizeof(*g) + (size_t)n * sizeof(g->pfn[0]));
	if (!g) {
		gpadl_fail(s, NULL, relid, handle, "out of memory");
		return;
	}
	g->handle = handle;
	g->relid = relid;
	g->byte_count = le32toh(r.byte_count);
	g->byte_offset = le32toh(r.byte_offset);
	g->nr_pfns = n;
	g->next = s->gpadls;
	s->gpadls = g;
	s->nr_gpadls++;
	why = gpadl_add_pfns(s, g, msg + GPADL_HDR_LEN + RANGE_LEN,
			     (in_msg - RANGE_LEN) / 8);
	if (why)
		gpadl_fail(s, g, relid, handle, why);
	else if (gpadl_complete(g))
		gpadl_send_created(s, relid, handle, 0);
}

void vmbus_gpadl_body(struct vmbus_server *s, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_chanmsg_gpadl_body *m = (const void *)msg;
	uint32_t handle = le32toh(m->gpadl), bytes = size - GPADL_BODY_LEN;
	struct vmbus_gpadl *g = gpadl_lookup(s, handle);
	const char *why;

	if (!g || gpadl_complete(g)) {
		vmbus_proto_error(s, "GPADL_BODY for a GPADL not being built", handle);
		return;
	}
	if (!bytes || bytes % 8)
		why = "GPADL_BODY without whole PFNs";
	else
		why = gpadl_add_pfns(s, g, msg + GPADL_BODY_LEN, bytes / 8);
	if (why)
		gpadl_fail(s, g, g->relid, handle, why);
	else if (gpadl_complete(g))
		gpadl_send_created(s, g->relid, handle, 0);
}

void vmbus_gpadl_teardown(struct vmbus_server *s, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_chanmsg_gpadl_teardown *m = (const void *)msg;
	uint32_t handle = le32toh(m->gpadl);
	struct vmbus_chanmsg_gpadl_torndown r;
	struct vmbus_gpadl *g = gpadl_lookup(s, handle);

	(void)size;
	if (!g || !gpadl_complete(g) || g->relid != le32toh(m->child_relid)) {
		vmbus_proto_error(s, "GPADL_TEARDOWN of no created GPADL of that relid", handle);
		return;
	}
	gpadl_unlink(s, g);
	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_TORNDOWN);
	r.gpadl = htole32(handle);
	vmbus_send(s, &r, sizeof(r));
}
