// SPDX-License-Identifier: GPL-2.0
/*
 * GPADLs: GPADL_HEADER + GPADL_BODY reassembly, GPADL_CREATED, teardown.
 *
 * A GPADL has exactly one range.  Its PFN count is the number of pages
 * its byte_offset + byte_count span (at most HVH_SRV_GPADL_MAX_PAGES);
 * range_buflen (8 + 8 * PFNs) is a 16-bit field, so a GPADL of 8191 pages
 * or more announces it truncated: it must equal (8 + 8 * PFNs) & 0xffff.
 * The header carries the range descriptor and the first PFNs, each body
 * more PFNs, until all have arrived.  Every PFN must name a page inside
 * guest RAM that hvhost does not write on its own (an enabled SIMP or
 * SIEFP page of any VP, the reference TSC page, the hypercall page).  A
 * header that cannot be accepted, or a body that breaks its GPADL, is
 * answered with GPADL_CREATED and a failure status (the GPADL is
 * forgotten); a body for a handle not being built cannot be answered and
 * is only counted.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "synic.h"
#include "vmbus_srv.h"

/*
 * Host-written pages: SIMP + SIEFP per VP, reference TSC, hypercall page,
 * the guest -> host monitor page (MNF entries).
 */
#define HOST_PAGES_MAX	(2 * 64 + 3)

struct host_pages {
	unsigned int n;
	uint64_t pfn[HOST_PAGES_MAX];
};

#define HVH_GPADL_HDR_LEN	sizeof(struct vmbus_chanmsg_gpadl_header)
#define HVH_GPADL_BODY_LEN	sizeof(struct vmbus_chanmsg_gpadl_body)
#define RANGE_LEN		sizeof(struct vmbus_gpa_range)

static bool gpadl_complete(const struct hvh_gpadl *g)
{
	return g->have == g->nr_pfns;
}

/* Any GPADL @handle, complete or not. */
static struct hvh_gpadl *gpadl_lookup(struct hvh_srv *s, uint32_t handle)
{
	struct hvh_gpadl *g;

	for (g = s->gpadls; g; g = g->next)
		if (g->handle == handle)
			return g;
	return NULL;
}

struct hvh_gpadl *hvh_gpadl_find(struct hvh_srv *s, uint32_t handle)
{
	struct hvh_gpadl *g = gpadl_lookup(s, handle);

	return g && gpadl_complete(g) ? g : NULL;
}

unsigned int hvh_gpadl_count(struct hvh_srv *s, uint32_t relid)
{
	struct hvh_gpadl *g;
	unsigned int n = 0;

	for (g = s->gpadls; g; g = g->next)
		n += gpadl_complete(g) && (!relid || g->relid == relid);
	return n;
}

uint64_t hvh_gpadl_pages(struct hvh_srv *s)
{
	struct hvh_gpadl *g;
	uint64_t n = 0;

	for (g = s->gpadls; g; g = g->next)
		if (gpadl_complete(g))
			n += g->nr_pfns;
	return n;
}

static void gpadl_unlink(struct hvh_srv *s, struct hvh_gpadl *g)
{
	struct hvh_gpadl **pp;

	for (pp = &s->gpadls; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			s->nr_gpadls--;
			s->gpadl_pages -= g->nr_pfns;
			free(g);
			return;
		}
	}
}

void hvh_gpadl_free_all(struct hvh_srv *s)
{
	while (s->gpadls)
		gpadl_unlink(s, s->gpadls);
}

void hvh_gpadl_free_relid(struct hvh_srv *s, uint32_t relid)
{
	struct hvh_gpadl *g, *next;

	for (g = s->gpadls; g; g = next) {
		next = g->next;
		if (g->relid == relid && !g->pinned)
			gpadl_unlink(s, g);
	}
}

static void host_page_add(struct host_pages *h, uint64_t reg)
{
	if ((reg & HV_PAGE_REG_ENABLE) && h->n < HOST_PAGES_MAX)
		h->pfn[h->n++] = reg >> HV_PAGE_SHIFT;
}

/*
 * The pages hvhost writes on its own right now.  Must hold the server
 * lock; takes each VP lock and the partition lock in turn (never two).
 */
static void host_pages_get(struct hvh_srv *s, struct host_pages *h)
{
	struct partition *p = s->p;
	unsigned int i;

	h->n = 0;
	if (s->monitor_page[1])		/* page-aligned, checked at contact */
		h->pfn[h->n++] = s->monitor_page[1] >> HV_PAGE_SHIFT;
	for (i = 0; i < p->nr_vps; i++) {
		pthread_mutex_lock(&p->vp[i].lock);
		host_page_add(h, p->vp[i].simp);
		host_page_add(h, p->vp[i].siefp);
		pthread_mutex_unlock(&p->vp[i].lock);
	}
	pthread_mutex_lock(&p->lock);
	host_page_add(h, p->ref_tsc);
	host_page_add(h, p->hypercall);
	pthread_mutex_unlock(&p->lock);
}

static bool host_page(const struct host_pages *h, uint64_t pfn)
{
	unsigned int i;

	for (i = 0; i < h->n; i++)
		if (h->pfn[i] == pfn)
			return true;
	return false;
}

static void gpadl_send_created(struct hvh_srv *s, uint32_t relid, uint32_t handle,
			       uint32_t status)
{
	struct vmbus_chanmsg_gpadl_created r;

	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_CREATED);
	r.child_relid = htole32(relid);
	r.gpadl = htole32(handle);
	r.status = htole32(status);
	hvh_msg_send(s, &r, sizeof(r));
}

/* Refuse GPADL @g (already linked) or the request (@g NULL). */
static void gpadl_fail(struct hvh_srv *s, struct hvh_gpadl *g, uint32_t relid,
		       uint32_t handle, const char *why)
{
	hvh_proto_error(s, why, handle);
	if (g)
		gpadl_unlink(s, g);
	gpadl_send_created(s, relid, handle, HVH_SRV_STATUS_FAIL);
}

/*
 * Append the @n PFNs at @src (unaligned little-endian) to @g.  Returns NULL
 * or why they cannot be taken.
 */
static const char *gpadl_add_pfns(struct hvh_srv *s, struct hvh_gpadl *g,
				  const uint8_t *src, uint32_t n)
{
	struct host_pages h;
	uint64_t pfn;
	uint32_t i;

	if (n > g->nr_pfns - g->have)
		return "more PFNs than the range spans";
	host_pages_get(s, &h);
	for (i = 0; i < n; i++) {
		memcpy(&pfn, src + 8 * i, sizeof(pfn));
		pfn = le64toh(pfn);
		if (pfn >= (1ULL << (64 - HV_PAGE_SHIFT)) ||
		    !gm_range_ok(&s->p->mem, pfn << HV_PAGE_SHIFT, HV_PAGE_SIZE))
			return "PFN outside guest RAM";
		if (host_page(&h, pfn))
			return "PFN of a page hvhost writes (SIMP, SIEFP, TSC, hypercall or monitor page)";
		g->pfn[g->have++] = pfn;
	}
	return NULL;
}

/*
 * Why the header's fixed part and range descriptor are unacceptable, or
 * NULL; *@nr_pfns gets the range's page count.
 */
static const char *gpadl_check_header(struct hvh_srv *s,
				      const struct vmbus_chanmsg_gpadl_header *m,
				      const struct vmbus_gpa_range *r, uint32_t in_msg,
				      uint32_t *nr_pfns)
{
	uint32_t buflen = le16toh(m->range_buflen);
	uint64_t off = le32toh(r->byte_offset), count = le32toh(r->byte_count), n;

	if (!hvh_dev_offered(s, le32toh(m->child_relid)))
		return "GPADL for a relid not offered";
	if (gpadl_lookup(s, le32toh(m->gpadl)))
		return "GPADL handle in use";
	if (s->nr_gpadls >= HVH_SRV_MAX_GPADLS)
		return "too many GPADLs";
	if (le16toh(m->range_count) != 1)
		return "GPADL range count is not 1";
	if (!count || off >= HV_PAGE_SIZE)
		return "bad byte_count or byte_offset";
	n = VMBUS_PAGES_SPANNED(off, count);
	if (n > HVH_SRV_GPADL_MAX_PAGES)
		return "GPADL larger than 1 GiB";
	if (buflen != ((RANGE_LEN + 8 * n) & 0xffff))
		return "range_buflen does not match byte_offset + byte_count";
	if (in_msg > RANGE_LEN + 8 * n || (in_msg - RANGE_LEN) % 8)
		return "range bytes in the header do not fit the range";
	if (s->gpadl_pages + n > HVH_SRV_GPADL_TOTAL_PAGES)
		return "too many GPADL pages in all";
	*nr_pfns = (uint32_t)n;
	return NULL;
}

void hvh_gpadl_header(struct hvh_srv *s, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_chanmsg_gpadl_header *m = (const void *)msg;
	uint32_t relid = le32toh(m->child_relid), handle = le32toh(m->gpadl);
	uint32_t in_msg = size - HVH_GPADL_HDR_LEN;	/* >= RANGE_LEN: minimum length */
	struct vmbus_gpa_range r;
	struct hvh_gpadl *g;
	const char *why;
	uint32_t n = 0;

	memcpy(&r, msg + HVH_GPADL_HDR_LEN, sizeof(r));
	why = gpadl_check_header(s, m, &r, in_msg, &n);
	if (why) {
		gpadl_fail(s, NULL, relid, handle, why);
		return;
	}
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
	s->gpadl_pages += n;
	why = gpadl_add_pfns(s, g, msg + HVH_GPADL_HDR_LEN + RANGE_LEN,
			     (in_msg - RANGE_LEN) / 8);
	if (why)
		gpadl_fail(s, g, relid, handle, why);
	else if (gpadl_complete(g))
		gpadl_send_created(s, relid, handle, 0);
}

void hvh_gpadl_body(struct hvh_srv *s, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_chanmsg_gpadl_body *m = (const void *)msg;
	uint32_t handle = le32toh(m->gpadl), bytes = size - HVH_GPADL_BODY_LEN;
	struct hvh_gpadl *g = gpadl_lookup(s, handle);
	const char *why;

	if (!g || gpadl_complete(g)) {
		hvh_proto_error(s, "GPADL_BODY for a GPADL not being built", handle);
		return;
	}
	if (!bytes || bytes % 8)
		why = "GPADL_BODY without whole PFNs";
	else
		why = gpadl_add_pfns(s, g, msg + HVH_GPADL_BODY_LEN, bytes / 8);
	if (why)
		gpadl_fail(s, g, g->relid, handle, why);
	else if (gpadl_complete(g))
		gpadl_send_created(s, g->relid, handle, 0);
}

void hvh_gpadl_teardown(struct hvh_srv *s, const uint8_t *msg, uint32_t size)
{
	const struct vmbus_chanmsg_gpadl_teardown *m = (const void *)msg;
	uint32_t handle = le32toh(m->gpadl);
	struct vmbus_chanmsg_gpadl_torndown r;
	struct hvh_gpadl *g = gpadl_lookup(s, handle);

	(void)size;
	if (!g || !gpadl_complete(g) || g->relid != le32toh(m->child_relid)) {
		hvh_proto_error(s, "GPADL_TEARDOWN of no created GPADL of that relid", handle);
		return;
	}
	if (g->pinned) {
		/* Refused without an answer: the guest must close the channel first. */
		hvh_proto_error(s, "GPADL_TEARDOWN of an open channel's rings", handle);
		return;
	}
	gpadl_unlink(s, g);
	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_TORNDOWN);
	r.gpadl = htole32(handle);
	hvh_msg_send(s, &r, sizeof(r));
}
